//! House rules read from the source itself (fast tier): no function over [`MAX_FN_LINES`]
//! lines without a reason written above it, no module cycles (between top-level modules or
//! between sibling files), and no import "up" the crate layers of docs/architecture.md.
//!
//! The checks read every crate of the workspace ([`workspace_roots`]): `crates/*/src`, the
//! command line's `src/` and the desk's `src-tauri/src`. A path starting with another
//! crate's name (`tidewatch_core::region::X`) is resolved like a top-level module of that
//! crate, so one graph spans the workspace.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Longest function body (from the `fn` line to its closing brace) allowed without a
/// `// long: <reason>` comment right above the function.
const MAX_FN_LINES: usize = 100;

/// Crate layers, lowest first (docs/architecture.md): a module may import only modules of
/// its own layer or a lower one. Matched by the longest prefix of the module path. Cargo
/// already refuses a cycle between crates; this also keeps a crate from reaching past its
/// layer (the reports do not plan, the journal knows no desk) and orders the core's own
/// modules: the vocabulary, then the region, its routes, then the dispatch rules.
const LAYERS: &[(&str, u8)] = &[
    ("tidewatch_core", 1),
    ("tidewatch_core::region", 2),
    ("tidewatch_core::route", 3),
    ("tidewatch_core::map", 3),
    ("tidewatch_core::field", 3),
    ("tidewatch_core::dispatch", 4),
    ("tidewatch_journal", 5),
    ("tidewatch_osm", 5),
    ("tidewatch_journal_pg", 6),
    ("tidewatch_report", 6),
    ("tidewatch_plan", 7),
    ("tidewatch_workstation", 8),
    ("tidewatch_service", 9),
    ("tidewatch_client", 9),
    ("tidewatch", 10),
    ("tidewatch_desk", 10),
];

/// The repository's root.
fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every crate of the workspace that is ours: `crates/*`, the command line (`src/`) and
/// the desk (`src-tauri/src`), with file names in messages relative to the repository.
fn workspace_roots() -> Vec<CrateRoot> {
    let mut dirs: Vec<(PathBuf, String)> = fs::read_dir(repo().join("crates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.join("src"), p.file_name().unwrap().to_string_lossy().into_owned()))
        .collect();
    dirs.sort();
    dirs.push((repo().join("src"), "tidewatch".into()));
    dirs.push((repo().join("src-tauri/src"), "tidewatch-desk".into()));
    let mut roots: Vec<CrateRoot> = dirs.iter().flat_map(|(src, name)| crate_roots(src, name)).collect();
    for root in &mut roots {
        root.src = repo();
    }
    assert!(roots.len() >= 8, "the workspace's crates were not found under {}", repo().display());
    roots
}

fn source_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = workspace_roots().iter().map(|r| r.root.parent().unwrap().to_path_buf()).collect();
    dirs.dedup();
    dirs
}

#[test]
fn no_function_is_over_100_lines_without_a_reason() {
    let long: Vec<String> = source_dirs()
        .iter()
        .flat_map(|d| rust_files(d))
        .flat_map(|f| long_functions(&f, MAX_FN_LINES))
        .filter(|f| f.reason.is_none())
        .map(|f| format!("{}:{} fn {} is {} lines", f.file.display(), f.line, f.name, f.lines))
        .collect();
    assert!(long.is_empty(), "split these, or write `// long: <reason>` above them:\n{}", long.join("\n"));
}

#[test]
fn no_module_cycles() {
    let graph = module_graph(&workspace_roots());
    let cycles = graph.cycles();
    assert!(cycles.is_empty(), "module cycles:\n{}", cycles.join("\n"));
}

#[test]
fn no_upward_imports() {
    let graph = module_graph(&workspace_roots());
    let up = graph.upward(LAYERS);
    assert!(up.is_empty(), "imports up the crate layers:\n{}", up.join("\n"));
}

/// The checks themselves catch what they are for (a checker that finds nothing proves
/// nothing): a sibling cycle through a re-export, a long function, an upward import; a
/// unit test's import is no edge.
#[test]
fn the_checks_find_planted_faults() {
    let src = &std::env::temp_dir().join(format!("tidewatch-house-{}", std::process::id()));
    let write = |p: &str, s: &str| {
        let path = src.join(p);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, s).unwrap();
    };
    write("lib.rs", "pub mod low;\npub mod high;\n");
    write("low/mod.rs", "mod a;\nmod b;\npub use a::A;\npub use b::{B, C as D};\n");
    write(
        "low/a.rs",
        "use super::D;\npub struct A;\n// crate::high::H in a comment is no import\n#[cfg(test)]\nmod tests { use crate::high::H; }\n",
    );
    write("low/b.rs", "pub struct B;\npub struct C;\nfn f() { let _ = super::a::A; let _ = crate::high::H; }\n");
    let body = "    let x = 1;\n".repeat(MAX_FN_LINES);
    write(
        "high.rs",
        &format!("pub struct H;\nfn short() {{}}\nfn long() {{\n{body}}}\n// long: a planted table\nfn excused() {{\n{body}}}\n"),
    );
    let graph = module_graph(&crate_roots(src, "planted"));
    assert_eq!(graph.cycles(), vec!["planted::low: a -> b -> a (low/a.rs:1 a -> b; low/b.rs:3 b -> a)".to_string()]);
    let layers = [("planted", 1), ("planted::high", 2)];
    assert_eq!(graph.upward(&layers), vec!["low/b.rs:3 planted::low::b (layer 1) imports planted::high (layer 2)".to_string()]);
    assert!(graph.without(&[("planted::low::b", "planted::low::a")]).cycles().is_empty());
    let long = long_functions(&src.join("high.rs"), MAX_FN_LINES);
    let found: Vec<_> = long.iter().map(|f| (f.name.as_str(), f.lines, f.reason.is_some())).collect();
    assert_eq!(found, [("long", MAX_FN_LINES + 2, false), ("excused", MAX_FN_LINES + 2, true)]);
    fs::remove_dir_all(src).unwrap();
}

/// Prints every function over 80 lines (`cargo test --release --test house -- --ignored
/// --nocapture list_long_functions`), the list issue #12 counts.
#[test]
#[ignore = "a listing, not a check"]
fn list_long_functions() {
    let mut all: Vec<_> = source_dirs().iter().flat_map(|d| rust_files(d)).flat_map(|f| long_functions(&f, 80)).collect();
    all.sort_by_key(|f| std::cmp::Reverse(f.lines));
    for f in all {
        println!(
            "{:4} {}:{} {}{}",
            f.lines,
            f.file.display(),
            f.line,
            f.name,
            f.reason.map(|r| format!(" (long: {r})")).unwrap_or_default()
        );
    }
}

// ---- source files ----

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The source with comments, string and char literals blanked (newlines kept, so line
/// numbers hold): what is left is code.
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < c.len() {
        let rest = |k: usize| c.get(i + k).copied().unwrap_or('\0');
        let end = if c[i] == '/' && rest(1) == '/' {
            c[i..].iter().position(|&x| x == '\n').map_or(c.len(), |p| i + p)
        } else if c[i] == '/' && rest(1) == '*' {
            block_comment_end(&c, i)
        } else if c[i] == '"' || (c[i] == 'r' || c[i] == 'b') && !ident_char(before(&c, i)) && raw_or_byte_string(&c, i) {
            string_end(&c, i)
        } else if c[i] == '\'' && (rest(1) == '\\' || rest(2) == '\'') {
            let close = if rest(1) == '\\' { c[i + 2..].iter().position(|&x| x == '\'').map_or(c.len(), |p| i + 2 + p) } else { i + 2 };
            close + 1
        } else {
            out.push(c[i]);
            i += 1;
            continue;
        };
        let end = end.min(c.len());
        c[i..end].iter().for_each(|&ch| blank(&mut out, ch));
        i = end;
    }
    out
}

fn before(c: &[char], i: usize) -> char {
    if i == 0 {
        ' '
    } else {
        c[i - 1]
    }
}

fn ident_char(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

fn block_comment_end(c: &[char], start: usize) -> usize {
    let (mut depth, mut i) = (0, start);
    while i + 1 < c.len() {
        if c[i] == '/' && c[i + 1] == '*' {
            depth += 1;
            i += 2;
        } else if c[i] == '*' && c[i + 1] == '/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    c.len()
}

/// `r"`, `r#"`, `b"`, `br#"` at `i`.
fn raw_or_byte_string(c: &[char], i: usize) -> bool {
    let mut j = i + 1;
    if c[i] == 'b' && c.get(j) == Some(&'r') {
        j += 1;
    }
    while c.get(j) == Some(&'#') {
        j += 1;
    }
    c.get(j) == Some(&'"')
}

/// One past the end of the string literal starting at `i` (plain, byte or raw).
fn string_end(c: &[char], i: usize) -> usize {
    let mut j = i;
    while c[j] != '"' && c[j] != '#' {
        j += 1;
    }
    let raw = c[i..j].contains(&'r');
    let hashes = c[j..].iter().take_while(|&&x| x == '#').count();
    j += hashes + 1;
    while j < c.len() {
        if !raw && c[j] == '\\' {
            j += 2;
        } else if c[j] == '"' && c[j + 1..].iter().take(hashes).filter(|&&x| x == '#').count() == hashes {
            return j + 1 + hashes;
        } else {
            j += 1;
        }
    }
    c.len()
}

// ---- long functions ----

struct LongFn {
    file: PathBuf,
    line: usize,
    name: String,
    lines: usize,
    reason: Option<String>,
}

/// Functions of `file` longer than `max` lines, counted from the `fn` line to the closing
/// brace at the same indentation (rustfmt's layout).
fn long_functions(file: &Path, max: usize) -> Vec<LongFn> {
    let text = fs::read_to_string(file).unwrap();
    let code = code_only(&text);
    let (raw, lines): (Vec<&str>, Vec<&str>) = (text.lines().collect(), code.lines().collect());
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = fn_name(line) else { continue };
        let indent = &line[..line.len() - line.trim_start().len()];
        let one_line = line.trim_end().ends_with('}') || line.trim_end().ends_with(';');
        let end = if one_line { Some(i) } else { lines[i..].iter().position(|l| l.trim_end() == format!("{indent}}}")).map(|p| i + p) };
        let Some(end) = end else { continue };
        if end - i + 1 > max {
            out.push(LongFn { file: file.to_path_buf(), line: i + 1, name, lines: end - i + 1, reason: long_reason(&raw[..i]) });
        }
    }
    out
}

/// The name of the function a line starts, if it does (`pub(crate) async fn name`).
fn fn_name(line: &str) -> Option<String> {
    let mut rest = line.trim_start();
    if let Some(r) = rest.strip_prefix("pub") {
        rest = r.trim_start();
        if rest.starts_with('(') {
            rest = rest[rest.find(')')? + 1..].trim_start();
        }
    }
    for q in ["const ", "async ", "unsafe ", "extern \"C\" ", "extern "] {
        rest = rest.strip_prefix(q).unwrap_or(rest).trim_start();
    }
    let name: String = rest.strip_prefix("fn ")?.chars().take_while(|&c| ident_char(c)).collect();
    (!name.is_empty()).then_some(name)
}

/// The reason in a `// long: <reason>` comment among the comments and attributes right
/// above a function.
fn long_reason(above: &[&str]) -> Option<String> {
    for line in above.iter().rev().map(|l| l.trim()) {
        if let Some(reason) = line.strip_prefix("// long:") {
            return (!reason.trim().is_empty()).then(|| reason.trim().to_string());
        }
        if !(line.starts_with("//") || line.starts_with("#[")) {
            return None;
        }
    }
    None
}

// ---- module graph ----

/// A crate's source: its name as other crates write it (`tidewatch_core`) and its root
/// file (`lib.rs` or `main.rs`); its modules are the files under the root's directory.
struct CrateRoot {
    name: String,
    root: PathBuf,
    /// The `src` directory, for the file names in messages.
    src: PathBuf,
}

/// The library and binaries under a `src` directory: `lib.rs` as `name`, each
/// `bin/<x>/main.rs` or `bin/<x>.rs` as `bin_<x>`.
fn crate_roots(src: &Path, name: &str) -> Vec<CrateRoot> {
    let mut roots = Vec::new();
    for file in ["lib.rs", "main.rs"] {
        if src.join(file).exists() {
            roots.push(CrateRoot { name: name.replace('-', "_"), root: src.join(file), src: src.to_path_buf() });
        }
    }
    if let Ok(dir) = fs::read_dir(src.join("bin")) {
        let mut bins: Vec<PathBuf> = dir.map(|e| e.unwrap().path()).collect();
        bins.sort();
        for bin in bins {
            let stem = bin.file_stem().unwrap().to_string_lossy().replace('-', "_");
            let root = if bin.is_dir() { bin.join("main.rs") } else { bin };
            roots.push(CrateRoot { name: format!("bin_{stem}"), root, src: src.to_path_buf() });
        }
    }
    roots
}

/// One parsed module file: its path (`tidewatch_workstation::desk::board`), its items, child
/// modules, re-exports, and every path it names.
struct ModFile {
    rel: String,
    path: Vec<String>,
    items: BTreeSet<String>,
    children: BTreeSet<String>,
    /// `pub use` names: exported name -> path as written.
    reexports: BTreeMap<String, Vec<String>>,
    /// `pub use path::*` paths.
    globs: Vec<Vec<String>>,
    /// Paths named by `use` and in code: (segments, line, inline module path, is a
    /// `pub use`).
    refs: Vec<(Vec<String>, usize, Vec<String>, bool)>,
}

struct Edge {
    from: Vec<String>,
    to: Vec<String>,
    at: String,
}

struct Graph {
    edges: Vec<Edge>,
}

fn module_graph(roots: &[CrateRoot]) -> Graph {
    let crates: BTreeSet<String> = roots.iter().map(|r| r.name.clone()).chain(["tidewatch".to_string()]).collect();
    let mut files: BTreeMap<Vec<String>, ModFile> = BTreeMap::new();
    for root in roots {
        collect_modules(&root.root, vec![root.name.clone()], &root.src, &crates, &mut files);
    }
    let mut edges = Vec::new();
    for file in files.values() {
        for (segs, line, inline, reexport) in &file.refs {
            let Some(to) = resolve(&files, &crates, file, inline, segs, 0) else { continue };
            if to == file.path || (*reexport && to.starts_with(&file.path)) {
                continue;
            }
            edges.push(Edge { from: file.path.clone(), to, at: format!("{}:{line}", file.rel) });
        }
    }
    Graph { edges }
}

/// Reads `file` as module `path` and, through its `mod x;` lines, its child files.
fn collect_modules(file: &Path, path: Vec<String>, base: &Path, crates: &BTreeSet<String>, out: &mut BTreeMap<Vec<String>, ModFile>) {
    let Ok(text) = fs::read_to_string(file) else { return };
    let rel = file.strip_prefix(base).unwrap_or(file).display().to_string();
    let m = parse_module(&without_tests(&code_only(&text)), rel, path.clone(), crates);
    let dir = match file.file_name().unwrap().to_str().unwrap() {
        "lib.rs" | "main.rs" | "mod.rs" => file.parent().unwrap().to_path_buf(),
        _ => file.with_extension(""),
    };
    for child in &m.children {
        let flat = dir.join(format!("{child}.rs"));
        let child_file = if flat.exists() { flat } else { dir.join(child).join("mod.rs") };
        let mut child_path = path.clone();
        child_path.push(child.clone());
        collect_modules(&child_file, child_path, base, crates, out);
    }
    out.insert(path, m);
}

/// Blanks every `#[cfg(test)]` item (kept as newlines, so line numbers hold): a unit test
/// may use what its module's users use without that being an edge of the module graph.
fn without_tests(code: &str) -> String {
    let mut c: Vec<char> = code.chars().collect();
    let attr: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut i = 0;
    while i + attr.len() <= c.len() {
        if c[i..i + attr.len()] != attr[..] {
            i += 1;
            continue;
        }
        let end = item_end(&c, i + attr.len());
        for ch in &mut c[i..end] {
            if *ch != '\n' {
                *ch = ' ';
            }
        }
        i = end;
    }
    c.into_iter().collect()
}

/// The end of the item starting at `from`: past its matching `}` or its `;`.
fn item_end(c: &[char], from: usize) -> usize {
    let mut depth = 0;
    for (i, &ch) in c.iter().enumerate().skip(from) {
        match ch {
            '{' => depth += 1,
            '}' if depth == 1 => return i + 1,
            '}' => depth -= 1,
            ';' if depth == 0 => return i + 1,
            _ => {}
        }
    }
    c.len()
}

fn words(code: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let (mut line, mut cur) = (1, String::new());
    for ch in code.chars() {
        if ident_char(ch) {
            cur.push(ch);
            continue;
        }
        if !cur.is_empty() {
            out.push((std::mem::take(&mut cur), line));
        }
        if ch == '\n' {
            line += 1;
        } else if !ch.is_whitespace() {
            out.push((ch.to_string(), line));
        }
    }
    if !cur.is_empty() {
        out.push((cur, line));
    }
    out
}

/// Walks the tokens of one file: items, `mod` lines (inline modules tracked by brace
/// depth so `super` inside `mod tests { }` means the file), `use` trees and code paths.
fn parse_module(code: &str, rel: String, path: Vec<String>, crates: &BTreeSet<String>) -> ModFile {
    let toks = words(code);
    let mut m = ModFile {
        rel,
        path,
        items: BTreeSet::new(),
        children: BTreeSet::new(),
        reexports: BTreeMap::new(),
        globs: Vec::new(),
        refs: Vec::new(),
    };
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    let t = |k: usize| toks.get(k).map_or("", |(s, _)| s.as_str());
    while i < toks.len() {
        let (tok, line) = (&toks[i].0, toks[i].1);
        let inline_path: Vec<String> = inline.iter().map(|(n, _)| n.clone()).collect();
        match tok.as_str() {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            "mod" if t(i + 2) == ";" && inline.is_empty() => {
                m.children.insert(t(i + 1).to_string());
            }
            "mod" if t(i + 2) == "{" => {
                inline.push((t(i + 1).to_string(), depth));
                depth += 1;
                i += 3;
                continue;
            }
            "struct" | "enum" | "fn" | "trait" | "type" | "const" | "static" | "union" | "macro_rules" if depth == inline.len() => {
                let name = if t(i + 1) == "!" { t(i + 2) } else { t(i + 1) };
                m.items.insert(name.to_string());
            }
            "use" if t(i + 1) != "<" => {
                let public = i > 0 && (t(i - 1) == "pub" || t(i - 1) == ")");
                let end = (i..toks.len()).find(|&k| t(k) == ";").unwrap_or(toks.len());
                let tree: Vec<&str> = (i + 1..end).map(t).collect();
                for (segs, alias) in use_paths(&tree) {
                    if public && inline.is_empty() {
                        if alias == "*" {
                            m.globs.push(segs.clone());
                        } else {
                            m.reexports.insert(alias, segs.clone());
                        }
                    }
                    m.refs.push((segs, line, inline_path.clone(), public));
                }
                i = end;
                continue;
            }
            w if (w == "crate" || w == "self" || w == "super" || crates.contains(w))
                && t(i + 1) == ":"
                && !(t(i.wrapping_sub(1)) == "." || t(i.wrapping_sub(1)) == ":" && t(i.wrapping_sub(2)) == ":") =>
            {
                let mut segs = vec![w.to_string()];
                let mut k = i + 1;
                while t(k) == ":" && t(k + 1) == ":" && toks.get(k + 2).is_some_and(|(s, _)| ident_char(s.chars().next().unwrap())) {
                    segs.push(t(k + 2).to_string());
                    k += 3;
                }
                m.refs.push((segs, line, inline_path, false));
                i = k;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    m
}

/// The paths of a `use` tree (tokens between `use` and `;`), each with the name it binds
/// (`*` for a glob).
fn use_paths(tree: &[&str]) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut prefix_stack: Vec<usize> = Vec::new();
    let mut segs: Vec<String> = Vec::new();
    let mut i = 0;
    let mut pending = true;
    while i < tree.len() {
        match tree[i] {
            ":" => {}
            "{" => {
                prefix_stack.push(segs.len());
                pending = false;
            }
            "," | "}" => {
                if pending && !segs.is_empty() {
                    let name = segs.last().unwrap().clone();
                    out.push((segs.clone(), name));
                }
                let keep = *prefix_stack.last().unwrap_or(&0);
                segs.truncate(keep);
                if tree[i] == "}" {
                    prefix_stack.pop();
                    pending = false;
                } else {
                    pending = true;
                }
            }
            "as" => {
                out.push((segs.clone(), tree[i + 1].to_string()));
                pending = false;
                i += 2;
                continue;
            }
            "*" => {
                out.push((segs.clone(), "*".to_string()));
                pending = false;
            }
            "self" if !segs.is_empty() => {
                let name = segs.last().unwrap().clone();
                out.push((segs.clone(), name));
                pending = false;
            }
            w => {
                segs.push(w.to_string());
                pending = true;
            }
        }
        i += 1;
    }
    if pending && !segs.is_empty() {
        let name = segs.last().unwrap().clone();
        out.push((segs, name));
    }
    out
}

/// The module file a path names (following `pub use` re-exports), or None for a path
/// outside the crates (std, dependencies).
fn resolve(
    files: &BTreeMap<Vec<String>, ModFile>,
    crates: &BTreeSet<String>,
    file: &ModFile,
    inline: &[String],
    segs: &[String],
    hops: usize,
) -> Option<Vec<String>> {
    let mut here: Vec<String> = file.path.iter().chain(inline).cloned().collect();
    let mut rest = segs;
    match segs.first()?.as_str() {
        "crate" => {
            here = vec![file.path[0].clone()];
            rest = &segs[1..];
        }
        "self" => rest = &segs[1..],
        "super" => {
            while rest.first().is_some_and(|s| s == "super") {
                here.pop();
                rest = &rest[1..];
            }
        }
        c if crates.contains(c) && !file.children.contains(c) => {
            here = vec![c.to_string()];
            rest = &segs[1..];
        }
        c if file.children.contains(c) && inline.is_empty() => {}
        _ => return None,
    }
    // Inline modules (`mod tests { }`) are part of their file.
    while !here.is_empty() && !files.contains_key(&here) {
        here.pop();
    }
    if here.is_empty() {
        return None;
    }
    for (k, seg) in rest.iter().enumerate() {
        let mut child = here.clone();
        child.push(seg.clone());
        if files.contains_key(&child) {
            here = child;
            continue;
        }
        let _ = k;
        return Some(resolve_item(files, crates, &here, seg, hops));
    }
    Some(here)
}

/// The module that defines `name` as seen in module `at`: itself, or where its
/// re-export points.
fn resolve_item(files: &BTreeMap<Vec<String>, ModFile>, crates: &BTreeSet<String>, at: &[String], name: &str, hops: usize) -> Vec<String> {
    let m = &files[at];
    if m.items.contains(name) || hops > 8 {
        return at.to_vec();
    }
    if let Some(target) = m.reexports.get(name) {
        return resolve(files, crates, m, &[], target, hops + 1).unwrap_or_else(|| at.to_vec());
    }
    for glob in &m.globs {
        if let Some(g) = resolve(files, crates, m, &[], glob, hops + 1) {
            let gm = &files[&g];
            if g != at && (gm.items.contains(name) || gm.reexports.contains_key(name)) {
                return resolve_item(files, crates, &g, name, hops + 1);
            }
        }
    }
    at.to_vec()
}

impl Graph {
    /// The graph without the edges matching any `(from, to)` prefix pair.
    fn without(self, skip: &[(&str, &str)]) -> Graph {
        let edges = self.edges.into_iter().filter(|e| !skip.iter().any(|(f, t)| has_prefix(&e.from, f) && has_prefix(&e.to, t))).collect();
        Graph { edges }
    }

    /// Every cycle, one line each, per scope: between the top-level modules of a crate and
    /// between the sibling files of a module (`self` is the module's own file).
    fn cycles(&self) -> Vec<String> {
        // scope -> (member -> member -> first edge)
        let mut scopes: BTreeMap<Vec<String>, BTreeMap<String, BTreeMap<String, &Edge>>> = BTreeMap::new();
        for e in &self.edges {
            let common = e.from.iter().zip(&e.to).take_while(|(a, b)| a == b).count();
            let member = |p: &Vec<String>| p.get(common).cloned().unwrap_or_else(|| "self".to_string());
            let (a, b) = (member(&e.from), member(&e.to));
            let scope = if common == 0 { vec![] } else { e.from[..common].to_vec() };
            scopes.entry(scope).or_default().entry(a).or_default().entry(b).or_insert(e);
        }
        let mut out = Vec::new();
        for (scope, adj) in &scopes {
            for cycle in find_cycles(adj) {
                let steps: Vec<String> = cycle.windows(2).map(|w| format!("{} {} -> {}", adj[&w[0]][&w[1]].at, w[0], w[1])).collect();
                out.push(format!(
                    "{}: {} ({})",
                    if scope.is_empty() { "crates".to_string() } else { scope.join("::") },
                    cycle.join(" -> "),
                    steps.join("; ")
                ));
            }
        }
        out
    }

    /// Every import from a module into a higher layer.
    fn upward(&self, layers: &[(&str, u8)]) -> Vec<String> {
        let layer = |p: &[String]| layers.iter().filter(|(k, _)| has_prefix(p, k)).max_by_key(|(k, _)| k.len()).map(|(_, l)| *l);
        let mut out = Vec::new();
        for e in &self.edges {
            if let (Some(a), Some(b)) = (layer(&e.from), layer(&e.to)) {
                if b > a {
                    out.push(format!("{} {} (layer {a}) imports {} (layer {b})", e.at, e.from.join("::"), e.to.join("::")));
                }
            }
        }
        out
    }
}

fn has_prefix(path: &[String], prefix: &str) -> bool {
    let p: Vec<&str> = prefix.split("::").collect();
    path.len() >= p.len() && path.iter().zip(&p).all(|(a, b)| a == b)
}

/// One cycle per strongly connected component of more than one member, as a closed walk
/// (`a -> b -> a`), found by a depth-first search from the component's first member.
fn find_cycles(adj: &BTreeMap<String, BTreeMap<String, &Edge>>) -> Vec<Vec<String>> {
    let mut seen_in_cycle: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for start in adj.keys() {
        if seen_in_cycle.contains(start) {
            continue;
        }
        if let Some(cycle) = path_back(adj, start) {
            seen_in_cycle.extend(cycle.iter().cloned());
            out.push(cycle);
        }
    }
    out
}

/// The shortest walk from `start` back to itself (breadth-first), if any.
fn path_back(adj: &BTreeMap<String, BTreeMap<String, &Edge>>, start: &str) -> Option<Vec<String>> {
    let mut prev: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start.to_string()]);
    while let Some(n) = queue.pop_front() {
        for next in adj.get(&n).into_iter().flat_map(|m| m.keys()) {
            if next == start {
                let mut walk = vec![n.clone()];
                while let Some(p) = prev.get(walk.last().unwrap()) {
                    walk.push(p.clone());
                }
                if walk.last().map(String::as_str) != Some(start) {
                    walk.push(start.to_string());
                }
                walk.reverse();
                walk.push(start.to_string());
                return Some(walk);
            }
            if next != &n && !prev.contains_key(next) && next != start {
                prev.insert(next.clone(), n.clone());
                queue.push_back(next.clone());
            }
        }
    }
    None
}

/// The desk's commands as `generate_handler!` registers them in src-tauri/src/main.rs.
fn registered_commands() -> BTreeSet<String> {
    let main = fs::read_to_string(repo().join("src-tauri/src/main.rs")).unwrap();
    let start = main.find("generate_handler![").expect("main.rs registers its commands with generate_handler!");
    let list = &main[start..start + main[start..].find(']').unwrap()];
    list.split(|c: char| c == ',' || c.is_whitespace())
        .filter_map(|path| path.trim().strip_prefix("commands::"))
        .map(|path| path.rsplit("::").next().unwrap().to_string())
        .collect()
}

/// Tauri 2 refuses a command its capabilities do not grant ("not allowed by ACL"): every
/// registered command must have its permission made (build.rs) and granted
/// (capabilities/default.json), and nothing else may be granted.
#[test]
fn every_desk_command_is_allowed_and_nothing_else() {
    let commands = registered_commands();
    assert!(commands.len() > 40, "read the commands: {commands:?}");
    let build = fs::read_to_string(repo().join("src-tauri/build.rs")).unwrap();
    let made: BTreeSet<String> = build.split('"').skip(1).step_by(2).map(str::to_string).collect();
    let caps = fs::read_to_string(repo().join("src-tauri/capabilities/default.json")).unwrap();
    let caps: serde_json::Value = serde_json::from_str(&caps).unwrap();
    let granted: BTreeSet<String> = caps["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    let not_made: Vec<_> = commands.difference(&made).collect();
    let not_granted: Vec<_> = commands.difference(&granted).collect();
    let stray: Vec<_> = granted.difference(&commands).collect();
    assert!(not_made.is_empty(), "commands without a permission in src-tauri/build.rs: {not_made:?}");
    assert!(not_granted.is_empty(), "commands not granted in src-tauri/capabilities/default.json: {not_granted:?}");
    assert!(stray.is_empty(), "granted but not registered: {stray:?}");
}
