#![no_main]
//! Every reversible encoding Credence knows, encoded and decoded back: the decoders
//! must return exactly what the vendor's scheme stored.
use credence::detect::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(plain) = std::str::from_utf8(data) else { return };
    // A stored value sits on one line of a config: no control characters.
    if plain.is_empty() || plain.len() > 200 || plain.chars().any(char::is_control) {
        return;
    }
    let check = |name: &str, decoded: Result<credence::Secret, decode::DecodeError>| {
        let decoded = decoded.unwrap_or_else(|e| panic!("{name}: round trip failed: {e}"));
        assert!(decoded.expose() == plain, "{name}: round trip changed the value");
    };
    if plain.is_ascii() {
        check("cisco type 7", decode::cisco_type7(&decode::cisco_type7_encode(plain, data.len() % 16)));
        check("juniper $9$", decode::juniper9(&decode::juniper9_encode(plain, 'Q')));
    }
    check("fortios ENC", decode::fortios_enc(&decode::fortios_enc_encode(plain, [1, 2, 3, 4])));
    check("gpp cpassword", decode::gpp_cpassword(&decode::gpp_cpassword_encode(plain)));
    if plain.len() <= 8 && plain.is_ascii() {
        check("vnc", decode::vnc(&decode::vnc_encode(plain)));
    }
    check("winscp", decode::winscp("ops", "192.0.2.7", &decode::winscp_encode("ops", "192.0.2.7", plain)));
    check("mremoteng", decode::mremoteng(&decode::mremoteng_encode(plain, [5; 16], [6; 16])));
});
