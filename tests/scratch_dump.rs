use credence::detect::{Engine, TextInput};
use credence::ingest::{TextHint, text::LineIndex};

#[test]
fn dump() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(std::env::var("DUMP").unwrap_or("../shared/peer-corpus/configs".into()));
    let engine = Engine::builtin().unwrap_or_else(|e| { eprintln!("builtin: {e}"); Engine::from_detectors(credence::detect::dialects::all()) });
    for e in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let e = e.unwrap();
        if !e.file_type().is_file() { continue; }
        let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).replace("\r\n", "\n");
        let lines = LineIndex::new(&text);
        let name = e.path().strip_prefix(&root).unwrap().to_string_lossy().to_string();
        let input = TextInput { text: &text, lines: &lines, name: &name, hint: TextHint::from_name(&name) };
        for mut f in engine.detect_text(&input) {
            engine.knowledge.judge(&mut f, &credence::detect::knowledge::FileFacts { name: &name, mtime: None });
            let sp = f.span.clone().unwrap();
            let (l, _) = lines.position(&text, sp.start);
            println!("{name}:{l}\t{}\t{}\t{:?}\t{:?}\t{:?}\t{}\t[{}]\t{:?}\t{:?}", f.rule_id, f.category, f.username, f.system, f.flags, f.secret.expose(), &text[sp], f.detail, f.vendor_hint);
        }
    }
}
