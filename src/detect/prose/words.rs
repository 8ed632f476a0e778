//! Word lists of the prose detector: the vocabulary of people writing passwords
//! down, in the languages Credence reads, and of sentences that only talk about them.

/// Password words: English, German, French, Spanish, Portuguese, Dutch, Italian,
/// Swedish, Polish, and the abbreviations people type.
pub const PASSWORD_WORDS: &str = r"passwords?|passwort|kennwort|passwd|passcode|passphrase|pass|pwd|pw|pin|mot\s+de\s+passe|mdp|contrase(?:ñ|n)a|clave|senha|wachtwoord|paswoord|parola\s+d'ordine|parola\s+chiave|l(?:ö|o)senord(?:et)?|has(?:ł|l)o|wifi[\s-]?key|wlan[\s-]?key|netzwerkschl(?:ü|ue)ssel";

/// Username words for `login X pass Y` forms.
pub const USER_WORDS: &str = r"login|logon|user(?:name)?|benutzer(?:name)?|nutzer|utilisateur|identifiant|usuario|usuário|gebruiker(?:snaam)?|användare|anvandare|użytkownik|uzytkownik|utente|account|konto|compte|id";

/// Separators between a password word and the password: punctuation, or "is" in
/// the languages read (not Polish "to": in English "pass X to Y" is everywhere).
pub const SEPARATORS: &str = r":|=|->|=>|\bis\b|\bist\b|\best\b|\bes\b|\bé\b|\bè\b|\bär\b|\bjest\b|\blautet\b|\bwas\b|\bwar\b";

/// Words that follow "password" in sentences about passwords, never as the password.
#[rustfmt::skip]
pub const STOP_VALUES: &[&str] = &[
    "the", "a", "an", "is", "are", "be", "been", "not", "no", "yes", "required", "needed",
    "incorrect", "wrong", "invalid", "expired", "expires", "expiring", "changed", "change",
    "reset", "same", "stored", "saved", "in", "on", "at", "to", "for", "of", "and", "or", "see",
    "like", "available", "blank", "empty", "missing", "unknown", "correct", "valid", "strong",
    "weak", "secure", "mandatory", "optional", "longer", "shorter", "short", "long", "too",
    "set", "unset", "known", "protected", "encrypted", "hashed", "sent", "shared", "the same",
    "below", "above", "attached", "enclosed", "as", "by", "with", "from", "your", "my", "our",
    "their", "his", "her", "its", "this", "that", "it", "you", "we", "they", "hidden",
    "visible", "case-sensitive", "sensitive", "policy", "policies", "manager", "field",
    "prompt", "reset", "forgotten", "forgot", "again", "here", "there", "now", "only", "also",
    "still", "then", "when", "if", "must", "should", "will", "can", "could", "would", "may",
    "might", "ok", "okay", "fine", "good", "bad", "new", "old", "current", "default",
    "different", "identical", "random", "generated", "complex", "simple", "der", "die", "das",
    "ist", "nicht", "falsch", "richtig", "leer", "ein", "eine", "le", "la", "les", "est", "pas",
    "vide", "un", "une", "el", "los", "es", "no", "vacío", "o", "os", "não", "vazio", "het",
    "de", "een", "niet", "leeg", "il", "non", "är", "inte", "jest", "nie", "pusty", "changed.",
    "required.", "incorrect.", "expired.", "unchanged", "what", "which", "where", "how", "why",
    "who", "needs", "has", "have", "had", "was", "were", "expire", "ändern", "geändert",
    "vergessen", "oublié", "olvidado", "esquecida", "lost", "compromised", "leaked", "rotated",
    "updated", "disabled", "enabled", "locked", "contains", "containing", "length",
    "characters", "chars", "minimum", "maximum", "complexity", "history", "age", "login",
    "logon", "user", "username", "account", "sso", "mfa", "2fa", "otp", "token", "vault",
    "keepass", "cyberark", "lastpass", "bitwarden", "1password", "hash", "hashes", "prompted",
    "asked", "entered", "typed",
];

/// Words after the value that show a sentence about a password's properties:
/// "password is 12 characters long".
#[rustfmt::skip]
pub const UNIT_WORDS: &[&str] = &[
    "characters", "chars", "character", "zeichen", "caractères", "caracteres", "tekens",
    "tecken", "znaków", "digits", "letters", "long", "days", "months", "weeks", "years", "tage",
    "jours", "días", "times", "attempts", "minutes", "hours",
];

/// Words between the password word and the separator that show a sentence about
/// passwords, not a statement of one.
#[rustfmt::skip]
pub const MID_STOP: &[&str] = &[
    "must", "should", "will", "can", "cannot", "can't", "needs", "need", "has", "have", "was",
    "were", "be", "been", "expires", "expired", "reset", "change", "changed", "policy",
    "length", "requirements", "manager", "protected", "field", "hint", "muss", "sollte", "doit",
    "debe", "deve", "moet", "måste", "musi", "not", "nicht", "pas", "never", "always", "hash",
    "hashes", "complexity", "rules", "rule", "history",
];

/// People note systems before the password word ("VPN pw is", "HMI Passwort:"), and
/// accounts ("sa pwd =", "root password:"). These are the accounts.
#[rustfmt::skip]
pub const ACCOUNT_WORDS: &[&str] = &[
    "sa", "root", "admin", "administrator", "operator", "engineer", "service", "guest",
    "postgres", "oracle", "sys", "system", "enable", "supervisor", "maintenance", "user",
];

/// Words before the password word that are neither a system nor an account.
#[rustfmt::skip]
pub const FILLER_BEFORE: &[&str] = &[
    "the", "a", "my", "your", "our", "new", "old", "current", "default", "initial", "temp",
    "temporary", "same", "its", "their", "his", "her", "this", "that", "der", "die", "das",
    "le", "la", "el", "o", "het", "de", "il", "nytt", "nowe", "and", "und", "et", "with", "is",
    "its", "of", "for", "to", "same", "shared", "common",
];
