//! A small event walk over XML for the document formats. Entity references are never
//! expanded beyond the five predefined ones and character references: a document that
//! declares its own entities (a "billion laughs") reads as if they were absent.

use crate::ingest::{ExtractError, Origin, Part};
use quick_xml::Reader;
use quick_xml::events::Event;

/// A notice when `xml` declares its own entities in a DOCTYPE (the "billion laughs"
/// shape): the consultant learns the file was built to attack parsers, and that its
/// entities were left unexpanded. Only the prolog is searched (a DOCTYPE must precede
/// the root element).
pub fn entity_notice(xml: &[u8], part: &str) -> Option<Part> {
    let prolog_end = memchr::memmem::find(xml, b"<!DOCTYPE").map(|start| {
        start + memchr::memmem::find(&xml[start..], b"]>").unwrap_or(xml.len() - start)
    })?;
    memchr::memmem::find(&xml[..prolog_end], b"<!ENTITY")?;
    Some(Part::Notice {
        origin: Origin::default(),
        message: format!(
            "{part} declares its own XML entities: not expanded (entity-expansion attack?)"
        ),
    })
}

/// One step of the walk.
pub enum Ev<'e> {
    /// An element start (`empty` for `<x/>`), with its local name.
    Start {
        name: &'e [u8],
        empty: bool,
    },
    End {
        name: &'e [u8],
    },
    Text(&'e str),
}

/// Walks `xml`, calling `f` for each event; `f` returns false to stop early.
pub fn walk(
    xml: &[u8],
    format: &'static str,
    mut f: impl FnMut(Ev<'_>) -> bool,
) -> Result<(), ExtractError> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| ExtractError::Corrupt {
                format,
                detail: format!(
                    "malformed XML at byte {} ({})",
                    reader.buffer_position(),
                    kind(&e)
                ),
            })?;
        let go = match &ev {
            Event::Start(e) => f(Ev::Start {
                name: e.local_name().into_inner(),
                empty: false,
            }),
            Event::Empty(e) => {
                let name = e.local_name().into_inner();
                f(Ev::Start { name, empty: true }) && f(Ev::End { name })
            }
            Event::End(e) => f(Ev::End {
                name: e.local_name().into_inner(),
            }),
            Event::Text(t) => match t.decode() {
                Ok(s) => f(Ev::Text(&s)),
                Err(_) => true,
            },
            Event::CData(t) => match t.decode() {
                Ok(s) => f(Ev::Text(&s)),
                Err(_) => true,
            },
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten()
                } else {
                    match &r[..] {
                        b"amp" => Some('&'),
                        b"lt" => Some('<'),
                        b"gt" => Some('>'),
                        b"quot" => Some('"'),
                        b"apos" => Some('\''),
                        _ => None, // custom entities are never expanded
                    }
                };
                match c {
                    Some(c) => f(Ev::Text(c.encode_utf8(&mut [0u8; 4]))),
                    None => true,
                }
            }
            Event::Eof => break,
            _ => true,
        };
        if !go {
            break;
        }
        buf.clear();
    }
    Ok(())
}

/// A class of parse error that quotes no content.
fn kind(e: &quick_xml::Error) -> &'static str {
    match e {
        quick_xml::Error::Syntax(_) => "syntax",
        quick_xml::Error::IllFormed(_) => "ill-formed",
        quick_xml::Error::Encoding(_) => "encoding",
        _ => "unreadable",
    }
}
