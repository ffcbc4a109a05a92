//! A tip's photo: decoded under limits and re-encoded as a new JPEG, so nothing of the
//! upload's bytes is kept or shown — no EXIF (the tipper's position, the phone's serial),
//! no comment, no trailing data, no second image — and the type is judged by the content,
//! never by the name or the header the browser sent.
//!
//! Limits make a decompression bomb a refusal before any pixel is decoded: the sides are
//! checked from the header, and the decoded size against [`PhotoLimits::max_decoded`].
//! The position in the photo's EXIF is read first, and only when the tipper allowed it
//! (`exif_position`).

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use sha2::{Digest, Sha256};
use tidewatch_core::Error;

/// How large a photo may be, before and after decoding, and what is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoLimits {
    /// Bytes of the upload.
    pub max_bytes: usize,
    /// Pixels of either side (a 48 MP phone photo is 8000 × 6000).
    pub max_side: u32,
    /// Bytes of the decoded image.
    pub max_decoded: u64,
    /// The stored photo's longer side (enough to see a plate or a pothole).
    pub stored_side: u32,
    /// JPEG quality of the stored photo.
    pub quality: u8,
}

impl Default for PhotoLimits {
    fn default() -> PhotoLimits {
        PhotoLimits { max_bytes: 10 * 1024 * 1024, max_side: 10_000, max_decoded: 200 * 1024 * 1024, stored_side: 1600, quality: 82 }
    }
}

/// The photo as stored: a JPEG made here, and its SHA-256 (journaled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub jpeg: Vec<u8>,
    pub sha256: String,
    pub width: u32,
    pub height: u32,
}

fn refused(message: impl Into<String>) -> Error {
    Error::invalid("photo", message)
}

/// The kind of image `bytes` hold, judged by their content: JPEG, PNG or WebP only.
fn format_of(bytes: &[u8]) -> Result<ImageFormat, Error> {
    match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Ok(f),
        Ok(f) => {
            Err(refused(format!("{} images are not taken: send a JPEG, PNG or WebP photo", f.extensions_str().first().unwrap_or(&"such"))))
        }
        Err(_) => Err(refused("this is not a photo (not a JPEG, PNG or WebP image)")),
    }
}

/// Decodes `bytes` under `limits` and re-encodes them as a new JPEG (turned upright by the
/// EXIF orientation, which is then dropped with the rest), at most `stored_side` pixels on
/// its longer side.
pub fn reencode(bytes: &[u8], limits: &PhotoLimits) -> Result<Photo, Error> {
    if bytes.is_empty() {
        return Err(refused("the photo is empty"));
    }
    if bytes.len() > limits.max_bytes {
        return Err(refused(format!("the photo is over {} MB", limits.max_bytes / (1024 * 1024))));
    }
    let image = decode(bytes, format_of(bytes)?, limits)?;
    let image = if image.width().max(image.height()) > limits.stored_side {
        image.thumbnail(limits.stored_side, limits.stored_side)
    } else {
        image
    };
    let rgb = image.to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, limits.quality)
        .encode_image(&rgb)
        .map_err(|e| Error::Io(std::io::Error::other(format!("encoding the photo: {e}"))))?;
    let sha256 = tidewatch_journal::hex(&Sha256::digest(&jpeg));
    Ok(Photo { width: rgb.width(), height: rgb.height(), jpeg, sha256 })
}

fn decode(bytes: &[u8], format: ImageFormat, limits: &PhotoLimits) -> Result<DynamicImage, Error> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut l = image::Limits::default();
    l.max_image_width = Some(limits.max_side);
    l.max_image_height = Some(limits.max_side);
    l.max_alloc = Some(limits.max_decoded);
    reader.limits(l);
    let mut decoder = reader.into_decoder().map_err(|e| unreadable(&e, limits))?;
    let (w, h) = decoder.dimensions();
    // The decoded size from the header, before a pixel is decoded: a small file that
    // would inflate to gigabytes is refused here.
    if decoder.total_bytes() > limits.max_decoded || w == 0 || h == 0 {
        return Err(refused(format!("the photo is too large when opened ({w} × {h} pixels)")));
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| unreadable(&e, limits))?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn unreadable(e: &image::ImageError, limits: &PhotoLimits) -> Error {
    match e {
        image::ImageError::Limits(_) => refused(format!("the photo is too large when opened (at most {0} × {0} pixels)", limits.max_side)),
        _ => refused("the photo cannot be read (damaged, or not really an image)"),
    }
}

/// The position in the photo's EXIF (GPS latitude and longitude), if it has one. Read only
/// when the tipper allowed it; the stored photo never has it.
pub fn exif_position(bytes: &[u8]) -> Option<(f64, f64)> {
    use exif::{In, Tag, Value};
    let exif = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)).ok()?;
    let angle = |tag: Tag| -> Option<f64> {
        let Value::Rational(parts) = &exif.get_field(tag, In::PRIMARY)?.value else { return None };
        let [d, m, s] = parts.get(..3)? else { return None };
        let v = d.to_f64() + m.to_f64() / 60.0 + s.to_f64() / 3600.0;
        v.is_finite().then_some(v)
    };
    let hemisphere = |tag: Tag| -> Option<u8> {
        let Value::Ascii(parts) = &exif.get_field(tag, In::PRIMARY)?.value else { return None };
        parts.first()?.first().copied()
    };
    let lat = angle(Tag::GPSLatitude)? * if hemisphere(Tag::GPSLatitudeRef)? == b'S' { -1.0 } else { 1.0 };
    let lon = angle(Tag::GPSLongitude)? * if hemisphere(Tag::GPSLongitudeRef)? == b'W' { -1.0 } else { 1.0 };
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lon, lat))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    }

    fn kind(e: Error) -> (String, String) {
        let v = serde_json::to_value(&e).unwrap();
        (v["field"].as_str().unwrap_or("").to_string(), e.to_string())
    }

    #[test]
    fn a_photo_is_reencoded_as_a_new_jpeg_and_shrunk() {
        let photo = reencode(&png(2400, 1200), &PhotoLimits::default()).unwrap();
        assert_eq!((photo.width, photo.height), (1600, 800));
        assert_eq!(image::guess_format(&photo.jpeg).unwrap(), ImageFormat::Jpeg);
        assert_eq!(photo.sha256.len(), 64);
    }

    #[test]
    fn trailing_bytes_and_metadata_do_not_survive() {
        let mut bytes = png(40, 30);
        bytes.extend_from_slice(b"<script>alert(1)</script> and a secret");
        let photo = reencode(&bytes, &PhotoLimits::default()).unwrap();
        assert!(!photo.jpeg.windows(6).any(|w| w == b"script"));
        assert!(!photo.jpeg.windows(4).any(|w| w == b"Exif"));
    }

    #[test]
    fn what_is_not_a_photo_is_refused_naming_the_photo() {
        for bad in
            [&b"GIF89a\x01\x00\x01\x00"[..], b"PK\x03\x04 a zip", b"\xff\xd8\xff\xe0 fake jpeg header then garbage", b"%PDF-1.7", b""]
        {
            let (field, message) = kind(reencode(bad, &PhotoLimits::default()).unwrap_err());
            assert_eq!(field, "photo", "{message}");
        }
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_decoding() {
        // 20000 × 20000 pixels of one colour: a few kilobytes compressed, 1.2 GB opened.
        let img = image::GrayImage::new(20_000, 20_000);
        let mut bytes = Vec::new();
        img.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png).unwrap();
        assert!(bytes.len() < 2_000_000, "{}", bytes.len());
        let (field, message) = kind(reencode(&bytes, &PhotoLimits::default()).unwrap_err());
        assert_eq!(field, "photo");
        assert!(message.contains("too large"), "{message}");
        // Within the sides but over the decoded size.
        let limits = PhotoLimits { max_decoded: 1000, ..PhotoLimits::default() };
        assert!(kind(reencode(&png(100, 100), &limits).unwrap_err()).1.contains("too large"));
    }

    #[test]
    fn an_oversized_upload_is_refused() {
        let limits = PhotoLimits { max_bytes: 100, ..PhotoLimits::default() };
        assert!(kind(reencode(&png(64, 64), &limits).unwrap_err()).1.contains("over"));
    }
}
