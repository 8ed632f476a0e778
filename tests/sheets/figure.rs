//! The pairing figure: on generated credential sheets (varied header position,
//! column order, languages, extra columns, blank rows, two tables) and on sample-data,
//! the share of credential rows that come out as one finding with the right
//! (system, username, cell). Printed by
//! `cargo test --test sheets pairing -- --nocapture`.

use super::{fp, scan, scanner, strings};
use credence::finding::Flag;
use credence::scan::ScanOptions;
use rust_xlsxwriter::Workbook;

/// A tiny deterministic generator (no external crate): xorshift.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Header words per language: system, host/IP, user, password, notes, extras.
#[rustfmt::skip]
const LANGS: &[[&str; 7]] = &[
    ["System", "IP address", "Username", "Password", "Notes", "Location", "Password changed?"],
    ["Device", "Hostname", "Login", "PW", "Comment", "Vendor", "Last changed"],
    ["Anlage", "IP-Adresse", "Benutzer", "Kennwort", "Bemerkung", "Standort", "Passwort geändert?"],
    ["Gerät", "Rechner", "Benutzername", "Passwort", "Hinweis", "Hersteller", "Geändert am"],
    ["Système", "Adresse IP", "Utilisateur", "Mot de passe", "Remarque", "Emplacement", "Mot de passe changé ?"],
    ["Equipo", "Dirección IP", "Usuario", "Contraseña", "Comentario", "Ubicación", "¿Contraseña cambiada?"],
    ["Sistema", "Endereço IP", "Usuário", "Senha", "Observações", "Local", "Senha alterada?"],
    ["Systeem", "IP-adres", "Gebruiker", "Wachtwoord", "Opmerking", "Locatie", "Wachtwoord gewijzigd?"],
    ["System", "Värd", "Användare", "Lösenord", "Anteckning", "Plats", "Lösenord ändrat?"],
    ["Urządzenie", "Adres IP", "Użytkownik", "Hasło", "Uwagi", "Lokalizacja", "Hasło zmienione?"],
    ["Asset", "URL", "Account", "Secret", "Remarks", "Owner", "Password changed?"],
    ["Host", "IP", "User", "PIN", "Info", "Rack", "PIN changed?"],
];

struct Expect {
    sheet: String,
    cell: String,
    system: String,
    user: String,
    secret: String,
}

/// One generated workbook and the credential rows planted in it.
fn generated_sheet(n: usize, rng: &mut Rng) -> (Vec<u8>, Vec<Expect>) {
    let mut wb = Workbook::new();
    let sheet = format!("S{n}");
    let ws = wb.add_worksheet().set_name(&sheet).unwrap();
    let mut expect = Vec::new();
    let mut row = rng.below(5) as u32; // 0-4 rows above the header
    if row > 0 {
        strings(
            ws,
            0,
            &["Credential list - plant area", "", "issued by OT team"],
        );
    }
    let tables = 1 + rng.below(2);
    for t in 0..tables {
        let lang = LANGS[rng.below(LANGS.len())];
        // Columns: system (or host only), user, password, plus 0-3 extras, shuffled.
        let mut cols: Vec<usize> = vec![2, 3];
        let use_system = rng.below(4) != 0;
        if use_system {
            cols.push(0);
        }
        if !use_system || rng.below(2) == 0 {
            cols.push(1);
        }
        for extra in [4, 5, 6] {
            if rng.below(2) == 0 {
                cols.push(extra);
            }
        }
        for i in (1..cols.len()).rev() {
            cols.swap(i, rng.below(i + 1));
        }
        // A running number in front, as many lists have.
        if rng.below(3) == 0 {
            cols.insert(0, 7);
        }
        let col0 = rng.below(3) as u16;
        // Headers as people write them: upper case, a colon, a remark in brackets.
        let style = rng.below(4);
        for (j, &c) in cols.iter().enumerate() {
            let label = if c == 7 {
                ["No.", "Nr.", "#"][t % 3]
            } else {
                lang[c]
            };
            let h = match style {
                1 => label.to_uppercase(),
                2 => format!("{label}:"),
                3 if c == 3 => format!("{label} (initial)"),
                _ => label.to_string(),
            };
            ws.write_string(row, col0 + j as u16, &h).unwrap();
        }
        let numeric_pins = rng.below(6) == 0;
        row += 1;
        let rows = 3 + rng.below(10);
        for r in 0..rows {
            if rng.below(8) == 0 {
                row += 1; // a blank row inside the table
            }
            let id = n * 100 + t * 30 + r;
            let system = format!("PLC-{id:04}");
            let host = format!("192.0.2.{}", id % 250 + 1);
            let user = ["operator", "maint", "admin", "svc_hist", "engineer"][rng.below(5)]
                .to_string()
                + &format!("{}", id % 7);
            let secret = if numeric_pins {
                format!("{}", 1000 + id % 9000)
            } else {
                format!("Gx{id}#Plant{}", rng.below(1000))
            };
            for (j, &c) in cols.iter().enumerate() {
                let col = col0 + j as u16;
                let v = match c {
                    0 => system.clone(),
                    1 => host.clone(),
                    2 => user.clone(),
                    3 => secret.clone(),
                    4 => [
                        "checked by vendor",
                        "",
                        "spare in cabinet 3, see drawing E-12",
                    ][rng.below(3)]
                    .into(),
                    5 => "Hall B".into(),
                    6 => ["Yes", "No", "Ja", "Nein"][rng.below(4)].into(),
                    _ => format!("{}", r + 1),
                };
                if (c == 3 && numeric_pins) || c == 7 {
                    ws.write_number(row, col, v.parse::<f64>().unwrap())
                        .unwrap();
                } else {
                    ws.write_string(row, col, &v).unwrap();
                }
            }
            let pw_col = col0 + cols.iter().position(|&c| c == 3).unwrap() as u16;
            expect.push(Expect {
                sheet: sheet.clone(),
                cell: credence::finding::a1(row, pw_col as u32),
                system: if use_system { system } else { host },
                user,
                secret,
            });
            row += 1;
        }
        row += 1 + rng.below(2) as u32; // blank row(s) before the next table
    }
    (wb.save_to_buffer().unwrap(), expect)
}

#[test]
fn pairing_figure() {
    let mut rng = Rng(0x5EED_CAFE);
    let mut files = Vec::new();
    let mut expected = Vec::new();
    for n in 0..60 {
        let (bytes, exp) = generated_sheet(n, &mut rng);
        files.push((format!("gen/sheet{n:02}.xlsx"), bytes));
        expected.push((format!("gen/sheet{n:02}.xlsx"), exp));
    }
    let named: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (findings, summary) = scan(&named);
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    let (mut total, mut right) = (0usize, 0usize);
    for (path, rows) in &expected {
        for e in rows {
            total += 1;
            let hits: Vec<_> = findings
                .iter()
                .filter(|f| {
                    &f.path == path
                        && f.sheet.as_deref() == Some(&e.sheet)
                        && f.cell.as_deref() == Some(&e.cell)
                })
                .collect();
            if hits.len() == 1
                && hits[0].system.as_deref() == Some(&e.system)
                && hits[0].username.as_deref() == Some(&e.user)
                && hits[0].fingerprint == fp(&e.secret)
            {
                right += 1;
            } else {
                eprintln!(
                    "miss {path} {}!{}: {:?}",
                    e.sheet,
                    e.cell,
                    hits.iter()
                        .map(|h| (&h.system, &h.username))
                        .collect::<Vec<_>>()
                );
            }
        }
    }
    let planted: std::collections::HashSet<(String, String)> = expected
        .iter()
        .flat_map(|(p, rows)| rows.iter().map(move |e| (p.clone(), e.cell.clone())))
        .collect();
    let extra = findings
        .iter()
        .filter(|f| !planted.contains(&(f.path.clone(), f.cell.clone().unwrap_or_default())))
        .count();
    let figure = right as f64 / total as f64;
    println!(
        "sheet pairing: {right}/{total} credential rows = {:.1}% right (system, username, cell) over {} generated sheets; {extra} other findings",
        figure * 100.0,
        expected.len()
    );
    assert!(figure >= 0.97, "pairing {figure}");
    assert_eq!(extra, 0, "no finding beyond the planted rows");
}

/// Cells of sample-data whose password sits in free text (a notes cell): the prose
/// detectors find those, not the table logic, so the table figure leaves them out.
const PROSE_CELLS: &[&str] = &["Line 1!G9"];

#[test]
fn sample_data_pairing_figure() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let expected = std::fs::read_to_string(root.join("../tests/expected/sample-data.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = expected
        .lines()
        .skip_while(|l| l.trim() != "# documents")
        .skip(1)
        .take_while(|l| !l.starts_with("# "))
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    let scanner = scanner();
    let r = scanner
        .scan(&ScanOptions {
            roots: vec![root.clone()],
            ..ScanOptions::default()
        })
        .unwrap();
    let (mut total, mut right) = (0, 0);
    for row in &rows {
        let [path, at, category, user, system, flags, secret] = row[..] else {
            panic!("bad EXPECTED line {row:?}")
        };
        let (member, loc) = match at.rsplit_once(':') {
            Some((m, l)) if m.contains('/') => (Some(m), l),
            _ => (None, at),
        };
        // Table rows only: a cell (`Sheet!C5`, `table 1!C2`) or a CSV line.
        let Some((place, cell)) = loc.rsplit_once('!') else {
            if path.ends_with(".csv") {
                total += 1;
                let line: u32 = loc[1..].parse().unwrap();
                let ok = r.findings.iter().any(|f| {
                    f.path == path
                        && f.line == Some(line)
                        && f.username.as_deref() == Some(user)
                        && f.system.as_deref() == Some(system)
                        && f.fingerprint == fp(secret)
                });
                right += ok as usize;
                if !ok {
                    eprintln!("miss {path} {at}");
                }
            }
            continue;
        };
        if PROSE_CELLS.contains(&loc) {
            continue;
        }
        total += 1;
        let opt = |s: &str| (s != "-").then(|| s.to_string());
        let hits: Vec<_> = r
            .findings
            .iter()
            .filter(|f| {
                f.path == path
                    && f.member.as_deref() == member
                    && (f.sheet.as_deref() == Some(place) || f.label.as_deref() == Some(place))
                    && f.cell.as_deref() == opt(cell).as_deref()
                    && f.category.as_str() == category
            })
            .collect();
        let ok = hits.len() == 1
            && hits[0].username == opt(user)
            && hits[0].system == opt(system)
            && hits[0].fingerprint == fp(secret)
            && flags
                .split(',')
                .filter(|f| *f != "-" && *f != "default")
                .all(|fl| hits[0].has_flag(Flag::parse(fl).unwrap()));
        right += ok as usize;
        if !ok {
            eprintln!("miss {path} {at}: {hits:#?}");
        }
    }
    println!(
        "sample-data pairing: {right}/{total} table credential rows right (system, username, cell)"
    );
    assert!(
        total >= 15,
        "the generator planted the table rows ({total})"
    );
    assert!(right as f64 / total as f64 >= 0.97);
}
