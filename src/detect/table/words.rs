//! Header words: which role a column's header gives it, in the languages the
//! table reader knows, and the answers (yes/no) that fill a column without being
//! secrets.

use super::Role;
use crate::finding::Category;

#[rustfmt::skip]
const SECRET_EXACT: &[&str] = &[
    "password", "passwort", "pw", "pwd", "pass", "passwd", "pword", "pin", "mdp", "secret",
    "kennwort", "wachtwoord", "contrasena", "clave", "senha", "losenord", "haslo", "parole",
    "lozinka", "salasana", "heslo", "jelszo", "sifre", "geheim", "geheimnis", "passphrase",
    "passcode", "kw", "pwort",
];
#[rustfmt::skip]
const SECRET_SUBSTR: &[&str] = &[
    "password", "passwort", "kennwort", "wachtwoord", "contrasena", "losenord", "passphrase",
    "passcode",
];
#[rustfmt::skip]
const COMMUNITY: &[&str] = &[
    "community", "snmpcommunity",
];
#[rustfmt::skip]
const PSK: &[&str] = &[
    "psk", "wpa", "wpa2", "wifi", "wlan", "preshared",
];
#[rustfmt::skip]
const API: &[&str] = &[
    "apikey", "token", "api",
];
#[rustfmt::skip]
const HASHES: &[&str] = &[
    "hash", "ntlm", "nthash", "lmhash", "bcrypt", "md5crypt",
];
/// Header words with digits in them.
const DIGIT_WORDS: &[&str] = &[
    "ipv4", "ipv6", "wpa2", "wpa3", "snmpv2", "snmpv3", "v2c", "v3", "802",
];

/// Words that take a role away: the column is about a secret, not the secret.
#[rustfmt::skip]
const KEY_QUALIFIERS: &[&str] = &[
    "wpa", "wpa2", "wpa3", "wifi", "wlan", "network", "psk", "preshared", "shared", "api",
    "access", "secret", "encryption", "private", "ssh", "netzwerk", "reseau", "red", "vpn",
];
#[rustfmt::skip]
const DISQUALIFY: &[&str] = &[
    "changed", "change", "geandert", "geaendert", "aendern", "modifie", "cambiado", "alterado",
    "gewijzigd", "andrat", "zmienione", "zmiana", "date", "datum", "fecha", "last", "letzte",
    "expires", "expiry", "expiration", "ablauf", "policy", "richtlinie", "length", "lange",
    "laenge", "age", "hint", "reset", "rotated", "rotation", "status", "required", "strength",
    "complexity", "manager", "checksum", "firmware", "crc", "md5", "sha1", "sha256", "sha",
    "sha512", "license", "licence", "lizenz", "serial", "product", "type", "known", "set",
    "vergeben", "gesetzt", "valid", "gueltig", "gultig", "count", "anzahl", "otp", "totp",
    "otpauth", "reprompt", "history", "fail", "failed", "result", "test",
];
#[rustfmt::skip]
const USER: &[&str] = &[
    "user", "username", "usr", "userid", "uid", "login", "loginname", "logon", "account",
    "acct", "benutzer", "benutzername", "nutzer", "anmeldename", "kennung", "konto",
    "utilisateur", "identifiant", "compte", "usuario", "cuenta", "utente", "gebruiker",
    "gebruikersnaam", "anvandare", "anvandarnamn", "uzytkownik", "login_name", "email", "mail",
    "loginid",
];
#[rustfmt::skip]
const SYSTEM0: &[&str] = &[
    "system", "device", "asset", "server", "machine", "plc", "hmi", "rtu", "controller",
    "equipment", "node", "station", "workstation", "switch", "router", "firewall", "gateway",
    "geraet", "gerat", "anlage", "systeme", "appareil", "equipement", "serveur", "sistema",
    "equipo", "dispositivo", "servidor", "maquina", "systeem", "apparaat", "apparat", "enhet",
    "urzadzenie", "serwer", "application", "app", "service", "dienst", "database", "db",
    "instance", "computer", "target", "ziel",
];
#[rustfmt::skip]
const HOSTS: &[&str] = &[
    "hostname", "host", "hote", "rechner", "vard", "computername",
];
#[rustfmt::skip]
const SYSTEM1: &[&str] = &[
    "ip", "ipaddress", "ipv4", "ipv6", "address", "adresse", "direccion", "endereco", "adres",
    "adress", "adresa", "fqdn", "dns",
];
#[rustfmt::skip]
const SYSTEM2: &[&str] = &[
    "url", "uri", "website", "web", "link", "webseite", "domain",
];
#[rustfmt::skip]
const SYSTEM3: &[&str] = &[
    "name", "title", "description", "beschreibung", "bezeichnung", "nom", "nombre", "nome",
    "naam", "namn", "nazwa", "titel", "titre", "titulo", "label", "entry", "descripcion",
    "omschrijving", "beskrivning", "opis",
];
#[rustfmt::skip]
const NOTES: &[&str] = &[
    "note", "notes", "comment", "comments", "remark", "remarks", "bemerkung", "bemerkungen",
    "kommentar", "kommentare", "notiz", "notizen", "hinweis", "hinweise", "anmerkung",
    "remarque", "remarques", "commentaire", "commentaires", "nota", "notas", "comentario",
    "comentarios", "observacion", "observaciones", "observacoes", "opmerking", "opmerkingen",
    "anteckning", "anteckningar", "uwagi", "uwaga", "extra", "info", "information", "details",
];

/// Folds case and the diacritics of the supported languages.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let r = match c {
            'ä' | 'à' | 'á' | 'â' | 'ã' | 'å' | 'ą' => "a",
            'ö' | 'ò' | 'ó' | 'ô' | 'õ' | 'ø' => "o",
            'ü' | 'ù' | 'ú' | 'û' => "u",
            'é' | 'è' | 'ê' | 'ë' | 'ę' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ñ' | 'ń' => "n",
            'ç' | 'ć' => "c",
            'ł' => "l",
            'ś' => "s",
            'ż' | 'ź' => "z",
            'ß' => "ss",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(r);
    }
    out
}

/// The role a header gives its column, or `None`.
pub fn column_role(header: &str) -> Option<Role> {
    let header = header.trim();
    if header.is_empty() || header.chars().count() > 60 || header.ends_with('?') {
        return None;
    }
    // camelCase words apart ("timePasswordChanged" → time password changed).
    let mut spaced = String::with_capacity(header.len() + 4);
    let mut prev_lower = false;
    for c in header.chars() {
        if c.is_uppercase() && prev_lower {
            spaced.push(' ');
        }
        prev_lower = c.is_lowercase();
        spaced.push(c);
    }
    let folded = fold(&spaced);
    // Split camelCase-free, punctuation-separated words: "login_password" → login, password.
    let tokens: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() || tokens.iter().any(|t| DISQUALIFY.contains(t)) {
        return None;
    }
    // Header words hold no numbers ("HMI-L1-01" is a value), bar a few names.
    if tokens
        .iter()
        .any(|t| t.chars().any(|c| c.is_ascii_digit()) && !DIGIT_WORDS.contains(t))
    {
        return None;
    }
    let joined = tokens.join(" ");
    let has = |list: &[&str]| tokens.iter().any(|t| list.contains(t));
    let secret = tokens.iter().any(|t| {
        SECRET_EXACT.contains(t)
            || (t.chars().all(|c| c.is_alphabetic()) && SECRET_SUBSTR.iter().any(|s| t.contains(s)))
    }) || joined.contains("mot de passe")
        || joined.contains("shared secret")
        || joined.contains("shared key")
        || has(COMMUNITY)
        || has(&["psk", "preshared", "apikey", "token"])
        // A bare "Key" heads settings tables (Key | Value); a key is a secret only
        // when a word says which (WPA key, API key, network key, WLAN-Schlüssel).
        || (has(&["key", "schlussel", "cle"]) && has(KEY_QUALIFIERS));
    if secret {
        if has(HASHES) {
            return Some(Role::Hash);
        }
        let cat = if has(COMMUNITY) {
            Category::Community
        } else if has(PSK) || joined.contains("shared key") || joined.contains("network key") {
            Category::PresharedKey
        } else if has(API) {
            Category::ApiKey
        } else {
            Category::Password
        };
        return Some(Role::Secret(cat));
    }
    // The head noun comes last in English compounds ("device name", "login uri"): the
    // last word with a strong role decides; a bare "name" is a weak system.
    let mut weak = false;
    for t in tokens.iter().rev() {
        if USER.contains(t) || t.starts_with("user") {
            return Some(Role::User);
        }
        if SYSTEM0.contains(t) {
            return Some(Role::System(0));
        }
        if HOSTS.contains(t) {
            return Some(Role::System(1));
        }
        if SYSTEM1.contains(t) {
            return Some(Role::System(2));
        }
        if SYSTEM2.contains(t) {
            return Some(Role::System(3));
        }
        if NOTES.contains(t) {
            return Some(Role::Notes);
        }
        weak |= SYSTEM3.contains(t);
    }
    weak.then_some(Role::System(4))
}

/// Answers that fill a yes/no column; never secrets.
#[rustfmt::skip]
const ANSWERS: &[&str] = &[
    "ja", "nein", "oui", "non", "si", "sí", "sim", "não", "nao", "nee", "nej", "tak", "nie",
    "ok", "done", "pass", "fail", "passed", "failed", "erledigt", "x", "y", "n", "✓", "✔", "✗", "changed", "geändert",
];

/// Longest answer in bytes, lowercase or not ("GEÄNDERT"): longer cells are no answer.
const LONGEST_ANSWER: usize = 9;

pub(super) fn is_answer(v: &str) -> bool {
    let t = v.trim();
    // Every password cell of a big sheet comes here: decide without allocating.
    if t.len() > LONGEST_ANSWER {
        return false;
    }
    if t.is_ascii() {
        return ANSWERS.iter().any(|a| a.eq_ignore_ascii_case(t));
    }
    ANSWERS.contains(&t.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_known_in_any_case_and_nothing_longer_is() {
        assert!(
            ANSWERS
                .iter()
                .all(|a| a.len() <= LONGEST_ANSWER && a.to_uppercase().len() <= LONGEST_ANSWER)
        );
        for yes in ["Ja", " NEIN ", "Sí", "GEÄNDERT", "✓", "passed"] {
            assert!(is_answer(yes), "{yes}");
        }
        for no in ["Op000001!x", "jaja", "Passed2024", "nö"] {
            assert!(!is_answer(no), "{no}");
        }
    }

    #[test]
    fn roles_from_headers_in_many_languages() {
        for h in [
            "Password",
            "Passwort",
            "Kennwort",
            "Mot de passe",
            "Contraseña",
            "contrasena",
            "Senha",
            "Wachtwoord",
            "Lösenord",
            "Hasło",
            "PIN",
            "PW",
            "pwd",
            "Admin-Passwort",
            "login_password",
            "Secret",
        ] {
            assert!(matches!(column_role(h), Some(Role::Secret(_))), "{h}");
        }
        for h in [
            "User",
            "Username",
            "Login",
            "Benutzer",
            "Utilisateur",
            "Usuario",
            "Usuário",
            "Gebruiker",
            "Användare",
            "Użytkownik",
            "Nom d'utilisateur",
            "User name",
        ] {
            assert_eq!(column_role(h), Some(Role::User), "{h}");
        }
        assert_eq!(
            column_role("SNMP community"),
            Some(Role::Secret(Category::Community))
        );
        assert_eq!(
            column_role("WPA2 PSK"),
            Some(Role::Secret(Category::PresharedKey))
        );
        assert_eq!(column_role("Device name"), Some(Role::System(0)));
        assert_eq!(column_role("IP address"), Some(Role::System(2)));
        assert_eq!(column_role("Hostname"), Some(Role::System(1)));
        assert_eq!(column_role("login_uri"), Some(Role::System(3)));
        assert_eq!(column_role("Bemerkung"), Some(Role::Notes));
        assert_eq!(
            column_role("WLAN-Schlüssel"),
            Some(Role::Secret(Category::PresharedKey))
        );
        assert_eq!(column_role("API key"), Some(Role::Secret(Category::ApiKey)));
        assert_eq!(column_role("Key"), None, "settings tables: Key | Value");
        assert_eq!(column_role("Pass/Fail"), None);
        assert_eq!(column_role("HMI-L1-01"), None, "a value, not a header");
        assert_eq!(column_role("IPv4 address"), Some(Role::System(2)));
        assert_eq!(
            column_role("WPA2 key"),
            Some(Role::Secret(Category::PresharedKey))
        );
        for h in [
            "Password changed?",
            "Firmware SHA-256",
            "Checksum",
            "Last password change",
            "Password policy",
            "PW set?",
        ] {
            assert_eq!(column_role(h), None, "{h}");
        }
    }
}
