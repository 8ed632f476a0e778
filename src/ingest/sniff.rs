//! The real type of a file from its first bytes, never from its name alone. The name
//! only refines a container (a zip holding `xl/workbook.xml` is a workbook).

/// What a file is, by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Empty,
    /// Text in some encoding (decoded by `ingest::text`).
    Text,
    /// Zip container: plain zip, or OOXML / ODF by the name and content.
    Zip,
    /// OLE compound file: legacy xls/doc/msg, or an encrypted OOXML package.
    Ole,
    Pdf,
    Gzip,
    Tar,
    SevenZip,
    Sqlite,
    Rtf,
    /// Images, executables, media and anything else that is not text.
    Binary,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Empty => "empty",
            FileKind::Text => "text",
            FileKind::Zip => "zip",
            FileKind::Ole => "ole",
            FileKind::Pdf => "pdf",
            FileKind::Gzip => "gzip",
            FileKind::Tar => "tar",
            FileKind::SevenZip => "7z",
            FileKind::Sqlite => "sqlite",
            FileKind::Rtf => "rtf",
            FileKind::Binary => "binary",
        }
    }
}

const BINARY_MAGIC: &[&[u8]] = &[
    b"\x89PNG",
    b"\xFF\xD8\xFF",
    b"GIF8",
    b"\x7FELF",
    b"MZ",
    b"\xCA\xFE\xBA\xBE",
    b"\xCF\xFA\xED\xFE",
    b"RIFF",
    b"OggS",
    b"fLaC",
    b"ID3",
    b"\x00\x00\x01\x00", // .ico
    b"BZh",
    b"\xFD7zXZ\x00",
    b"Rar!",
    b"\x28\xB5\x2F\xFD", // zstd
    b"wOFF",
    b"wOF2",
    b"\x00asm",
];

/// Sniffs the kind from the first bytes (the caller passes at least the first 8 KiB
/// where the file has them; tar needs 262).
pub fn sniff(head: &[u8]) -> FileKind {
    if head.is_empty() {
        return FileKind::Empty;
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return FileKind::Zip;
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return FileKind::Ole;
    }
    if head.starts_with(b"%PDF-") {
        return FileKind::Pdf;
    }
    if head.starts_with(b"\x1F\x8B") {
        return FileKind::Gzip;
    }
    if head.starts_with(b"7z\xBC\xAF\x27\x1C") {
        return FileKind::SevenZip;
    }
    if head.starts_with(b"SQLite format 3\0") {
        return FileKind::Sqlite;
    }
    if head.len() >= 262 && &head[257..262] == b"ustar" {
        return FileKind::Tar;
    }
    if head.starts_with(b"{\\rtf") {
        return FileKind::Rtf;
    }
    if BINARY_MAGIC.iter().any(|m| head.starts_with(m)) {
        return FileKind::Binary;
    }
    if super::text::looks_like_text(head) {
        FileKind::Text
    } else {
        FileKind::Binary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_by_magic_not_name() {
        assert_eq!(sniff(b"PK\x03\x04rest"), FileKind::Zip);
        assert_eq!(sniff(b"%PDF-1.7\n"), FileKind::Pdf);
        assert_eq!(sniff(b"\x1F\x8B\x08\x00"), FileKind::Gzip);
        assert_eq!(
            sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00"),
            FileKind::Ole
        );
        assert_eq!(sniff(b"SQLite format 3\0\x10\x00"), FileKind::Sqlite);
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        tar[0] = b'a';
        assert_eq!(sniff(&tar), FileKind::Tar);
    }

    #[test]
    fn text_and_binary() {
        assert_eq!(sniff(b""), FileKind::Empty);
        assert_eq!(sniff(b"hostname plc-gw-01\n"), FileKind::Text);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n"), FileKind::Binary);
        assert_eq!(sniff(b"\x00\x01\x02\x03\x00\x00\xff\xfe\x00"), FileKind::Binary);
        // UTF-16 LE without BOM is text, though it is full of NULs.
        let utf16: Vec<u8> = "password=abc\r\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(sniff(&utf16), FileKind::Text);
    }
}
