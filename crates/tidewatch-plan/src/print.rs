//! What printed matter shares: the Chinese font every PDF of the project sets its text in
//! (the patrol cards here, the tips posters in the service).

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Finish, Name, Pdf, Rect, Ref, Str};

/// Writes `song` as STSong-Light through UniGB-UCS2-H (one of the standard CJK fonts a PDF
/// reader has: nothing embedded), with its CID font `cid` and descriptor `descriptor`.
pub fn song_font(pdf: &mut Pdf, song: Ref, cid: Ref, descriptor: Ref) {
    let name = Name(b"STSong-Light");
    pdf.type0_font(song).base_font(name).encoding_predefined(Name(b"UniGB-UCS2-H")).descendant_font(cid);
    let mut font = pdf.cid_font(cid);
    font.subtype(CidFontType::Type0).base_font(name).font_descriptor(descriptor).default_width(1000.0);
    font.system_info(SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"GB1"), supplement: 2 });
    // ASCII is half an em: the proportional (1–95) and the half-width (814–939) Latin CIDs,
    // whichever the reader's UniGB-UCS2-H maps it to.
    font.widths().same(1, 95, 500.0).same(814, 939, 500.0);
    font.finish();
    pdf.font_descriptor(descriptor)
        .name(name)
        .flags(FontFlags::SYMBOLIC | FontFlags::SERIF)
        .bbox(Rect::new(-25.0, -254.0, 1000.0, 880.0))
        .italic_angle(0.0)
        .ascent(880.0)
        .descent(-120.0)
        .cap_height(880.0)
        .stem_v(93.0);
}
