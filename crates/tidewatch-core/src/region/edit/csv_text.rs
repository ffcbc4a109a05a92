//! A pack CSV file held as its own text, so that an edit rewrites only the rows it changes:
//! every other row keeps its exact bytes (quoting, spacing, line endings), its place and
//! its `source` / `confidence`.

use crate::Error;

pub(super) struct CsvText {
    pub name: String,
    header_raw: String,
    pub header: Vec<String>,
    pub records: Vec<Record>,
    /// The file's line ending, used for rows written anew.
    newline: &'static str,
}

/// One row: its parsed fields and, until it is changed, its original text.
pub(super) struct Record {
    pub fields: Vec<String>,
    /// The row's text as read, with its line ending; `None` once changed (written anew).
    raw: Option<String>,
    /// Set on rows this edit wrote: which item of the edit they carry (a timetable's
    /// departure index, or 0), so loader errors on their lines map back to the form.
    pub edit_item: Option<usize>,
}

impl CsvText {
    pub fn parse(name: &str, text: &str) -> Result<CsvText, Error> {
        let bad = |e: csv::Error| Error::invalid(name.to_string(), format!("cannot read {name}: {e}"));
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut parsed: Vec<(usize, Vec<String>)> = Vec::new();
        for record in reader.records() {
            let record = record.map_err(bad)?;
            let mut start = record.position().map(|p| p.byte() as usize).unwrap_or(0);
            // After a CRLF the reader's position is at the LF: a row's text starts after
            // the previous row's whole line ending (and any blank lines, kept with it).
            while start < text.len() && matches!(text.as_bytes()[start], b'\r' | b'\n') {
                start += 1;
            }
            parsed.push((start, record.iter().map(str::to_string).collect()));
        }
        let Some((_, header)) = parsed.first().cloned() else {
            return Err(Error::invalid(name.to_string(), format!("{name} is empty")));
        };
        let ends: Vec<usize> = parsed.iter().skip(1).map(|(s, _)| *s).chain([text.len()]).collect();
        let header_raw = text[..ends[0]].to_string();
        let records = parsed
            .iter()
            .skip(1)
            .zip(ends.windows(2))
            .map(|((_, fields), w)| Record { fields: fields.clone(), raw: Some(text[w[0]..w[1]].to_string()), edit_item: None })
            .collect();
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        Ok(CsvText { name: name.to_string(), header_raw, header: header.iter().map(|h| h.trim().to_string()).collect(), records, newline })
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The column's index, adding it (empty in every row) when an older pack lacks it.
    pub fn ensure_column(&mut self, name: &str) -> usize {
        if let Some(i) = self.column(name) {
            return i;
        }
        self.header.push(name.to_string());
        self.header_raw = self.line(&self.header);
        let width = self.header.len();
        for r in &mut self.records {
            r.fields.resize(width, String::new());
            if let Some(raw) = r.raw.take() {
                // Append the empty field before the line ending, leaving the rest verbatim.
                let body = raw.trim_end_matches(['\r', '\n']);
                let ending = &raw[body.len()..];
                r.raw = Some(format!("{body},{ending}"));
            }
        }
        width - 1
    }

    pub fn get<'a>(&self, record: &'a Record, column: &str) -> &'a str {
        self.column(column).and_then(|i| record.fields.get(i)).map(|s| s.trim()).unwrap_or("")
    }

    pub fn find(&self, column: &str, value: &str) -> Option<usize> {
        let i = self.column(column)?;
        self.records.iter().position(|r| r.fields.get(i).map(|s| s.trim()) == Some(value))
    }

    /// Sets a field of row `row`, marking the row as written anew.
    pub fn set(&mut self, row: usize, column: &str, value: &str) -> Result<(), Error> {
        let i = self.column(column).ok_or_else(|| Error::invalid(column.to_string(), format!("{} has no column '{column}'", self.name)))?;
        let width = self.header.len();
        let r = &mut self.records[row];
        r.fields.resize(r.fields.len().max(width), String::new());
        r.fields[i] = value.to_string();
        r.raw = None;
        r.edit_item.get_or_insert(0);
        Ok(())
    }

    /// A new row, every column empty; fill it with [`CsvText::set`].
    pub fn new_record(&self, edit_item: usize) -> Record {
        Record { fields: vec![String::new(); self.header.len()], raw: None, edit_item: Some(edit_item) }
    }

    fn line(&self, fields: &[String]) -> String {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        // Writing strings to memory cannot fail.
        w.write_record(fields).expect("write to memory");
        let bytes = w.into_inner().expect("flush to memory");
        let text = String::from_utf8(bytes).expect("fields are UTF-8");
        format!("{}{}", text.trim_end_matches('\n'), self.newline)
    }

    /// The file's new text, and for each row this edit wrote: (1-based line, edit item).
    pub fn render(&self) -> (String, Vec<(u64, usize)>) {
        let mut out = self.header_raw.clone();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(self.newline);
        }
        let mut written = Vec::new();
        for r in &self.records {
            let line = 1 + out.matches('\n').count() as u64;
            if let Some(item) = r.edit_item {
                written.push((line, item));
            }
            match &r.raw {
                Some(raw) => {
                    out.push_str(raw);
                    if !raw.ends_with('\n') {
                        out.push_str(self.newline);
                    }
                }
                None => out.push_str(&self.line(&r.fields)),
            }
        }
        (out, written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "id,name,source,confidence\r\na,\"x, y\",src,high\r\nb,\"multi\nline\",s2,low\r\nc,z,s3,estimate";

    #[test]
    fn untouched_text_round_trips_byte_for_byte() {
        let f = CsvText::parse("t.csv", TEXT).unwrap();
        assert_eq!(f.render().0, format!("{TEXT}\r\n"));
    }

    #[test]
    fn an_edit_rewrites_one_row_and_reports_its_line() {
        let mut f = CsvText::parse("t.csv", TEXT).unwrap();
        let row = f.find("id", "c").unwrap();
        f.set(row, "name", "new, name").unwrap();
        let (text, written) = f.render();
        assert_eq!(text, "id,name,source,confidence\r\na,\"x, y\",src,high\r\nb,\"multi\nline\",s2,low\r\nc,\"new, name\",s3,estimate\r\n");
        // Row c starts on line 5: the quoted field of row b spans two lines.
        assert_eq!(written, vec![(5, 0)]);
    }

    #[test]
    fn a_missing_column_is_added_to_every_row() {
        let mut f = CsvText::parse("t.csv", "id,name\nx,1\ny,2\n").unwrap();
        f.ensure_column("status");
        let row = f.find("id", "y").unwrap();
        f.set(row, "status", "closed").unwrap();
        assert_eq!(f.render().0, "id,name,status\nx,1,\ny,2,closed\n");
    }
}
