//! The native menu: File (New, Open, Open Recent, Close, Quit), Edit (clipboard for
//! text fields), View (theme), Help (About with licences). A menu choice is sent to the
//! UI as a `menu` event; the UI owns the dialogs and screens that follow.

use crate::state::Recent;
use serde::Serialize;
use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Runtime};

pub const MENU_EVENT: &str = "menu";

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MenuAction {
    /// new, open, recent, close, theme, about.
    pub action: String,
    /// For `recent`: the engagement file.
    pub path: Option<String>,
}

pub fn build<R: Runtime>(app: &AppHandle<R>, recent: &[Recent]) -> tauri::Result<Menu<R>> {
    let mut recent_menu = SubmenuBuilder::new(app, "Open Recent");
    if recent.is_empty() {
        recent_menu = recent_menu.item(
            &MenuItemBuilder::with_id("recent-none", "No recent engagements")
                .enabled(false)
                .build(app)?,
        );
    }
    for (i, r) in recent.iter().enumerate() {
        recent_menu = recent_menu.item(
            &MenuItemBuilder::with_id(format!("recent:{i}"), format!("{} — {}", r.client, r.site))
                .build(app)?,
        );
    }
    let file = SubmenuBuilder::new(app, "File")
        .item(
            &MenuItemBuilder::with_id("new", "New Engagement…")
                .accelerator("CmdOrCtrl+N")
                .build(app)?,
        )
        .item(
            &MenuItemBuilder::with_id("open", "Open…")
                .accelerator("CmdOrCtrl+O")
                .build(app)?,
        )
        .item(&recent_menu.build()?)
        .separator()
        .item(
            &MenuItemBuilder::with_id("close", "Close Engagement")
                .accelerator("CmdOrCtrl+W")
                .build(app)?,
        )
        .separator()
        .quit()
        .build()?;
    let edit = SubmenuBuilder::new(app, "Edit")
        .undo()
        .redo()
        .separator()
        .cut()
        .copy()
        .paste()
        .select_all()
        .build()?;
    let view = SubmenuBuilder::new(app, "View")
        .item(
            &MenuItemBuilder::with_id("theme", "Toggle Light/Dark Theme")
                .accelerator("CmdOrCtrl+Shift+L")
                .build(app)?,
        )
        .build()?;
    let help = SubmenuBuilder::new(app, "Help")
        .item(&MenuItemBuilder::with_id("about", "About Credence and Licences").build(app)?)
        .build()?;
    MenuBuilder::new(app)
        .items(&[&file, &edit, &view, &help])
        .build()
}

/// Rebuilds the menu after the recent list changed. A failure leaves the old menu:
/// nothing to tell the user about.
pub fn refresh<R: Runtime>(app: &AppHandle<R>, recent: &[Recent]) {
    if let Ok(m) = build(app, recent) {
        let _ = app.set_menu(m);
    }
}

/// What a menu id means for the UI.
pub fn action(id: &str, recent: &[Recent]) -> Option<MenuAction> {
    if let Some(i) = id.strip_prefix("recent:") {
        let r = recent.get(i.parse::<usize>().ok()?)?;
        return Some(MenuAction {
            action: "recent".into(),
            path: Some(r.path.clone()),
        });
    }
    matches!(id, "new" | "open" | "close" | "theme" | "about").then(|| MenuAction {
        action: id.to_string(),
        path: None,
    })
}

pub fn on_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent, recent: &[Recent]) {
    if let Some(a) = action(event.id().as_ref(), recent) {
        let _ = app.emit(MENU_EVENT, a);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_ids_map_to_ui_actions() {
        let recent = vec![Recent {
            path: "/e/acme.credence".into(),
            client: "ACME".into(),
            site: "Plant".into(),
            opened: String::new(),
        }];
        assert_eq!(action("new", &recent).unwrap().action, "new");
        let r = action("recent:0", &recent).unwrap();
        assert_eq!(r.path.as_deref(), Some("/e/acme.credence"));
        assert!(action("recent:5", &recent).is_none());
        assert!(action("recent:x", &recent).is_none());
        assert!(action("quit-everything", &recent).is_none());
    }
}
