//! Word lists of the key/value detector: which keys name a secret, and which words
//! in a key make it about a secret rather than holding one.

/// Words that make a key a secret's key (matched inside longer keys: `db_password`).
pub const SECRET_KEY_WORDS: &str = r"pass(?:word|wd|phrase|code)?|pwd|pw|secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|private[_.-]?key|client[_.-]?secret|credentials?|kennwort|passwort|wachtwoord|contrase(?:ñ|n)a|senha|l(?:ö|o)senord|has(?:ł|l)o|mot[_.-]?de[_.-]?passe|mdp|psk|community";

/// Words of a key (split at `_ . -` and camelCase) that make it about a secret rather
/// than holding one: `password_min_length`, `getPassword`, `credentialsId`.
#[rustfmt::skip]
pub const NOT_A_SECRET_KEY_WORD: &[&str] = &[
    "length", "len", "policy", "min", "max", "expiry", "expires", "expiration", "age", "reset",
    "change", "changed", "hint", "prompt", "field", "label", "regex", "pattern", "rule",
    "rules", "required", "enabled", "enable", "type", "url", "uri", "endpoint", "path", "file",
    "dir", "name", "id", "ids", "ref", "mode", "strength", "complexity", "history", "count",
    "attempts", "lock", "salt", "hash", "digest", "bypass", "compass", "passive", "passenger",
    "passport", "passthrough", "surpass", "format", "validator", "validation", "timeout", "ttl",
    "limit", "size", "header", "param", "cookie", "storage", "provider", "source", "manager",
    "helper", "handler", "class", "method", "lifetime", "duration", "interval", "algorithm",
    "algo", "scheme", "version", "encoder", "encrypted", "forgot", "confirm", "placeholder",
    "input", "tokenizer", "author", "rotation", "schedule", "show", "visible", "mask", "is",
    "has", "use", "allow", "disable", "check", "verify", "set", "get", "at", "date", "time",
    "last", "next", "grant", "scope", "issuer", "audience", "keyid", "secretary", "public",
    "csrf", "xsrf", "variable", "env", "arn", "kind", "secretkeyref", "secretref", "secretname",
    "keyref", "keychain", "dialog", "form", "button", "text", "message", "error", "request",
    "response", "reader", "writer", "generator", "factory",
    "passed", "passing", "passes", "passage", "failed", "skipped", "result", "results",
];

/// Key names of things that are not secrets though they end in "key".
#[rustfmt::skip]
pub const NOT_A_SECRET_KEY_SUFFIX: &[&str] = &[
    "public", "primary", "foreign", "sort", "partition", "cache", "idempot", "hot", "monkey",
    "turkey", "donkey", "whiskey", "hockey", "jockey", "gpg", "dedup", "lookup", "group",
    "index", "unique", "row", "map", "hash", "ssh_pub", "routing", "shard", "order",
];

/// Head words that make a compound key a secret's key whatever qualifies them.
pub const SECRET_HEAD_WORDS: &[&str] = &["password", "passwd", "pwd", "passphrase", "secret"];

/// Words of [`NOT_A_SECRET_KEY_WORD`] that disqualify a key only as its head noun
/// (`password_url`, `secret_secretary`); before a secret head word they name the
/// secret's owner or purpose (`reset_url_password`).
#[rustfmt::skip]
pub const NOT_A_SECRET_ONLY_AS_HEAD: &[&str] = &[
    "reset", "url", "uri", "endpoint", "secretary", "passenger", "passport", "passthrough",
    "compass", "surpass", "bypass", "passive",
];

/// "Password" in the other languages Credence reads (stems: `contrase` for
/// contraseña, `senord` for lösenord), shared by the prefilter keywords and the test
/// for secret words inside a key.
pub const PASSWORD_WORDS_ABROAD: &[&str] = &[
    "kennwort",
    "passwort",
    "wachtwoord",
    "contrase",
    "senha",
    "senord",
    "haslo",
    "has\u{142}o",
];
