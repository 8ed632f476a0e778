//! Pairing: the username and system (host) that belong with a secret, from the same
//! line, neighbouring key/value lines, or the enclosing section or block.
