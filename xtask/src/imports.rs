//! The import graph of every crate's modules, drawn from the source, and the layering
//! ARCHITECTURE.md states for it.
//!
//! A node is a module with a file of its own (`lib.rs`, `sdk/parse.rs`, `sdk/mod.rs`); an
//! inline module (`mod tests { .. }`) belongs to its file. An edge is every path that names
//! another module of the crate: `use crate::..`, `use super::..`, `use self::..`, a child
//! module by its name (`use parse::X` in `mod.rs`), and the same paths inside code
//! (`crate::headers::RETRY_AFTER`). A path through a re-export counts as a path to the
//! module that defines the item (`crate::ApiError` is `server/error.rs`, not `lib.rs`), so a
//! facade's `pub use` is an edge from the facade down and nothing points back at it unless
//! it defines what is used; a `#[macro_export]` macro belongs to the file that defines it.
//! Comments and string literals are not read, so a doc link is not an import.
//!
//! `cargo xtask module-graph` prints each crate's layering; the tests fail on any circle,
//! printing it, and on an ARCHITECTURE.md layering line that the graph contradicts.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One token of Rust source, as much of it as imports need.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// An identifier or keyword (`crate`, `use`, `mod`, a name).
    Ident(String),
    /// `::`.
    Sep,
    /// Any other single character (`{`, `;`, `,`, `*`, `#`).
    Punct(char),
}

/// Splits source into tokens, dropping whitespace, comments, string, byte-string, raw-string
/// and character literals, and numbers.
fn tokenize(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let ident_char = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '"' {
            i = skip_string(&chars, i + 1);
        } else if c == '\'' {
            // A character literal ('a', '\n', '\u{1b}') or a lifetime ('a, 'static).
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if ident_char(c) {
            let start = i;
            while i < chars.len() && ident_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // Literal prefixes: b"..", r"..", r#".."#, br"..", c"..".
            let raw = matches!(word.as_str(), "r" | "br" | "cr")
                && matches!(chars.get(i), Some('"' | '#'));
            if raw {
                let mut hashes = 0;
                while chars.get(i) == Some(&'#') {
                    hashes += 1;
                    i += 1;
                }
                if chars.get(i) != Some(&'"') {
                    // `r#ident`: a raw identifier.
                    toks.push(Tok::Ident(word));
                    continue;
                }
                i += 1;
                'raw: while i < chars.len() {
                    if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                        i += 1 + hashes;
                        break 'raw;
                    }
                    i += 1;
                }
            } else if matches!(word.as_str(), "b" | "c") && chars.get(i) == Some(&'"') {
                i = skip_string(&chars, i + 1);
            } else if matches!(word.as_str(), "b") && chars.get(i) == Some(&'\'') {
                i += 1;
                if chars.get(i) == Some(&'\\') {
                    i += 1;
                }
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if !c.is_ascii_digit() {
                toks.push(Tok::Ident(word));
            }
        } else if c == ':' && next == Some(':') {
            toks.push(Tok::Sep);
            i += 2;
        } else {
            toks.push(Tok::Punct(c));
            i += 1;
        }
    }
    toks
}

/// The index just past the string literal whose body starts at `i`.
fn skip_string(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i] != '"' {
        if chars[i] == '\\' {
            i += 1;
        }
        i += 1;
    }
    i + 1
}

/// One name a `use` item brings in: the path as written, and the name it is bound to
/// (`None` for a glob or `as _`).
#[derive(Debug, Clone)]
struct UseItem {
    path: Vec<String>,
    name: Option<String>,
}

/// Reads the use tree starting at `i` (after `use`), appending what it imports under
/// `prefix`; returns the index of the token that ends it (`,`, `}` or `;`).
fn use_tree(toks: &[Tok], mut i: usize, prefix: Vec<String>, out: &mut Vec<UseItem>) -> usize {
    let mut path = prefix;
    let start = path.len();
    if toks.get(i) == Some(&Tok::Sep) {
        // `use ::serde`: an external crate.
        path.push("::".to_owned());
        i += 1;
    }
    while let Some(tok) = toks.get(i) {
        match tok {
            Tok::Ident(word) if word == "as" => {
                let name = match toks.get(i + 1) {
                    Some(Tok::Ident(alias)) if alias != "_" => Some(alias.clone()),
                    _ => None,
                };
                out.push(UseItem { path, name });
                return i + 2;
            }
            Tok::Ident(word) => {
                path.push(word.clone());
                i += 1;
            }
            Tok::Sep => i += 1,
            Tok::Punct('{') => {
                i += 1;
                while let Some(tok) = toks.get(i) {
                    match tok {
                        Tok::Punct('}') => return i + 1,
                        Tok::Punct(',') => i += 1,
                        Tok::Punct(';') => return i,
                        _ => i = use_tree(toks, i, path.clone(), out),
                    }
                }
                return i;
            }
            Tok::Punct('*') => {
                out.push(UseItem { path, name: None });
                return i + 1;
            }
            Tok::Punct(_) => break,
        }
    }
    if path.len() > start {
        if path.last().is_some_and(|last| last == "self") {
            path.pop();
        }
        let name = path.last().cloned();
        out.push(UseItem { path, name });
    }
    i
}

/// A module with a file of its own.
#[derive(Debug, Clone)]
pub(crate) struct Module {
    /// Its path inside the crate, empty for the crate root.
    pub(crate) path: Vec<String>,
    /// Its file, relative to the crate's `src/`.
    pub(crate) file: String,
}

/// A path in one module that names a module of the crate, before re-exports are followed.
#[derive(Debug, Clone)]
struct Reference {
    /// Where the path is, as a module path (an inline module adds its name).
    scope: Vec<String>,
    segments: Vec<String>,
}

/// One crate target's module tree and its import graph.
#[derive(Debug)]
pub(crate) struct Graph {
    /// What ARCHITECTURE.md calls it: the crate's directory, `(bin)` for a binary beside a
    /// library.
    pub(crate) name: String,
    pub(crate) modules: Vec<Module>,
    /// `edges[a][b]`: the paths in `a` that name something of `b`.
    pub(crate) edges: BTreeMap<usize, BTreeMap<usize, BTreeSet<String>>>,
}

/// What one file says: its `mod` declarations, its top-level imports, its paths and the
/// macros it exports at the crate root.
struct Parsed {
    children: Vec<String>,
    imports: Vec<UseItem>,
    references: Vec<Reference>,
    macros: Vec<String>,
    path_attribute: bool,
}

fn parse(module: &[String], text: &str) -> Parsed {
    let toks = tokenize(text);
    let mut parsed = Parsed {
        children: Vec::new(),
        imports: Vec::new(),
        references: Vec::new(),
        macros: Vec::new(),
        path_attribute: false,
    };
    // Inline modules open: their name and the brace depth inside them.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut macro_export = false;
    let scope = |inline: &[(String, usize)]| {
        let mut scope = module.to_vec();
        scope.extend(inline.iter().map(|(name, _)| name.clone()));
        scope
    };
    let mut i = 0;
    while i < toks.len() {
        let after_sep = i > 0 && toks[i - 1] == Tok::Sep;
        match &toks[i] {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Tok::Punct('#') => {
                if let (Some(Tok::Punct('[')), Some(Tok::Ident(attr))) =
                    (toks.get(i + 1), toks.get(i + 2))
                {
                    if attr == "path" && toks.get(i + 3) == Some(&Tok::Punct('=')) {
                        parsed.path_attribute = true;
                    }
                    if attr == "macro_export" {
                        macro_export = true;
                    }
                }
            }
            Tok::Ident(word) if word == "macro_rules" && !after_sep => {
                if let (Some(Tok::Punct('!')), Some(Tok::Ident(name))) =
                    (toks.get(i + 1), toks.get(i + 2))
                    && std::mem::take(&mut macro_export)
                {
                    parsed.macros.push(name.clone());
                }
            }
            Tok::Ident(word) if word == "mod" && !after_sep => {
                if let Some(Tok::Ident(name)) = toks.get(i + 1) {
                    match toks.get(i + 2) {
                        Some(Tok::Punct(';')) if inline.is_empty() => {
                            parsed.children.push(name.clone());
                        }
                        Some(Tok::Punct('{')) => {
                            depth += 1;
                            inline.push((name.clone(), depth));
                            i += 3;
                            continue;
                        }
                        _ => {}
                    }
                }
            }
            Tok::Ident(word) if word == "use" && !after_sep => {
                let mut items = Vec::new();
                let end = use_tree(&toks, i + 1, Vec::new(), &mut items);
                let here = scope(&inline);
                for item in &items {
                    parsed.references.push(Reference {
                        scope: here.clone(),
                        segments: item.path.clone(),
                    });
                }
                if inline.is_empty() && depth == 0 {
                    parsed.imports.extend(items);
                }
                i = end;
                continue;
            }
            Tok::Ident(first) if !after_sep && toks.get(i + 1) == Some(&Tok::Sep) => {
                let mut segments = vec![first.clone()];
                let mut j = i + 1;
                while toks.get(j) == Some(&Tok::Sep) {
                    match toks.get(j + 1) {
                        Some(Tok::Ident(next)) => segments.push(next.clone()),
                        _ => break,
                    }
                    j += 2;
                }
                if segments.len() > 1 {
                    parsed.references.push(Reference {
                        scope: scope(&inline),
                        segments,
                    });
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    parsed
}

impl Graph {
    /// Reads the module tree from `root` (a crate's `src/lib.rs` or `src/main.rs`) through
    /// `read`, and draws its imports.
    pub(crate) fn build(
        name: &str,
        root: &Path,
        read: &dyn Fn(&Path) -> Option<String>,
    ) -> Result<Graph, String> {
        let src = root.parent().ok_or("a crate root has a directory")?;
        let mut modules = Vec::new();
        let mut parsed = Vec::new();
        // (module path, file, directory of its children)
        let mut queue = vec![(Vec::<String>::new(), root.to_path_buf(), src.to_path_buf())];
        while let Some((path, file, dir)) = queue.pop() {
            let text = read(&file).ok_or_else(|| format!("cannot read {}", file.display()))?;
            let module = parse(&path, &text);
            let shown = file
                .strip_prefix(src)
                .unwrap_or(&file)
                .display()
                .to_string();
            if module.path_attribute {
                return Err(format!(
                    "{name}: {shown} uses `#[path = ..]`, which the import graph does not follow"
                ));
            }
            for child in &module.children {
                let flat = dir.join(format!("{child}.rs"));
                let nested = dir.join(child).join("mod.rs");
                let child_file = if read(&flat).is_some() {
                    flat
                } else if read(&nested).is_some() {
                    nested
                } else {
                    return Err(format!(
                        "{name}: {shown} declares `mod {child};` without a file"
                    ));
                };
                let mut child_path = path.clone();
                child_path.push(child.clone());
                queue.push((child_path, child_file, dir.join(child)));
            }
            modules.push(Module {
                path,
                file: shown.replace('\\', "/"),
            });
            parsed.push(module);
        }
        let index: BTreeMap<Vec<String>, usize> = modules
            .iter()
            .enumerate()
            .map(|(i, module)| (module.path.clone(), i))
            .collect();
        let macros: BTreeMap<String, usize> = parsed
            .iter()
            .enumerate()
            .flat_map(|(i, module)| module.macros.iter().map(move |name| (name.clone(), i)))
            .collect();
        let absolute = |scope: &[String], segments: &[String]| {
            let first = segments.first()?;
            let mut base: Vec<String> = scope.to_vec();
            let rest = match first.as_str() {
                "crate" => {
                    base.clear();
                    &segments[1..]
                }
                "super" | "self" => {
                    let mut k = 0;
                    while let Some(seg) = segments.get(k).filter(|s| *s == "super" || *s == "self")
                    {
                        if seg == "super" {
                            base.pop();
                        }
                        k += 1;
                    }
                    &segments[k..]
                }
                _ => {
                    // A bare first segment is a child module of the file's module, in a
                    // `use` or in code (`backend::Backend` in `mod.rs`).
                    let file_module = (0..=scope.len())
                        .rev()
                        .map(|k| &scope[..k])
                        .find(|prefix| index.contains_key(*prefix))
                        .unwrap_or(&[]);
                    let mut child = file_module.to_vec();
                    child.push(first.clone());
                    if !index.contains_key(&child) {
                        return None;
                    }
                    base = file_module.to_vec();
                    segments
                }
            };
            base.extend(rest.iter().cloned());
            Some(base)
        };
        // Each module's top-level names: what `crate::module::Name` stands for.
        let mut names: Vec<BTreeMap<String, Vec<String>>> = vec![BTreeMap::new(); modules.len()];
        for (i, module) in parsed.iter().enumerate() {
            for item in &module.imports {
                if let (Some(name), Some(target)) =
                    (&item.name, absolute(&modules[i].path, &item.path))
                {
                    names[i].insert(name.clone(), target);
                }
            }
        }
        let resolve = |target: &[String]| -> usize {
            let mut target = target.to_vec();
            for _ in 0..16 {
                let (module, rest) = (0..=target.len())
                    .rev()
                    .find_map(|k| index.get(&target[..k]).map(|m| (*m, target[k..].to_vec())))
                    .unwrap_or((0, target.clone()));
                let Some(first) = rest.first() else {
                    return module;
                };
                if let Some(via) = names[module].get(first) {
                    let mut next = via.clone();
                    next.extend(rest[1..].iter().cloned());
                    if next == target {
                        return module;
                    }
                    target = next;
                } else if let Some(defining) = macros.get(first).filter(|_| module == 0) {
                    return *defining;
                } else {
                    return module;
                }
            }
            0
        };
        let mut edges: BTreeMap<usize, BTreeMap<usize, BTreeSet<String>>> = BTreeMap::new();
        // A module's parent declares it, so the parent sits above it even when it only
        // declares (`pub mod axum;`) and re-exports nothing.
        for (child, module) in modules.iter().enumerate() {
            if let Some((name, parent)) = module.path.split_last() {
                edges
                    .entry(index[parent])
                    .or_default()
                    .entry(child)
                    .or_default()
                    .insert(format!("mod {name}"));
            }
        }
        for (from, module) in parsed.iter().enumerate() {
            for reference in &module.references {
                let Some(target) = absolute(&reference.scope, &reference.segments) else {
                    continue;
                };
                let to = resolve(&target);
                if to != from {
                    edges
                        .entry(from)
                        .or_default()
                        .entry(to)
                        .or_default()
                        .insert(reference.segments.join("::"));
                }
            }
        }
        Ok(Graph {
            name: name.to_owned(),
            modules,
            edges,
        })
    }

    /// Every circle: one path per strongly connected component of more than one module,
    /// written `a.rs → b.rs (the path in a.rs) → a.rs`.
    pub(crate) fn cycles(&self) -> Vec<String> {
        let mut cycles = Vec::new();
        for component in self.components() {
            if component.len() < 2 {
                continue;
            }
            let inside: BTreeSet<usize> = component.iter().copied().collect();
            let Some(&start) = component.iter().min_by_key(|m| &self.modules[**m].file) else {
                continue;
            };
            // Breadth-first from `start` to a module that imports `start` back.
            let mut parent: BTreeMap<usize, usize> = BTreeMap::new();
            let mut queue = std::collections::VecDeque::from([start]);
            let mut last = None;
            while let Some(at) = queue.pop_front() {
                let next = self.edges.get(&at).into_iter().flat_map(|e| e.keys());
                if self.edges.get(&at).is_some_and(|e| e.contains_key(&start)) {
                    last = Some(at);
                    break;
                }
                for &to in next {
                    if inside.contains(&to) && to != start && !parent.contains_key(&to) {
                        parent.insert(to, at);
                        queue.push_back(to);
                    }
                }
            }
            let Some(mut at) = last else { continue };
            let mut chain = Vec::new();
            while at != start {
                chain.push(at);
                at = parent[&at];
            }
            chain.reverse();
            let mut path = vec![start];
            path.extend(chain);
            path.push(start);
            let mut text = self.modules[path[0]].file.clone();
            for pair in path.windows(2) {
                let via: Vec<&str> = self.edges[&pair[0]][&pair[1]]
                    .iter()
                    .map(String::as_str)
                    .take(3)
                    .collect();
                let _ = write!(
                    text,
                    " → {} (`{}`)",
                    self.modules[pair[1]].file,
                    via.join("`, `")
                );
            }
            cycles.push(format!("{}: {text}", self.name));
        }
        cycles
    }

    /// Tarjan's strongly connected components.
    fn components(&self) -> Vec<Vec<usize>> {
        struct State {
            index: Vec<Option<usize>>,
            low: Vec<usize>,
            stack: Vec<usize>,
            on_stack: Vec<bool>,
            next: usize,
            out: Vec<Vec<usize>>,
        }
        fn visit(graph: &Graph, v: usize, s: &mut State) {
            s.index[v] = Some(s.next);
            s.low[v] = s.next;
            s.next += 1;
            s.stack.push(v);
            s.on_stack[v] = true;
            for &w in graph.edges.get(&v).into_iter().flat_map(|e| e.keys()) {
                match s.index[w] {
                    None => {
                        visit(graph, w, s);
                        s.low[v] = s.low[v].min(s.low[w]);
                    }
                    Some(index) if s.on_stack[w] => s.low[v] = s.low[v].min(index),
                    Some(_) => {}
                }
            }
            if Some(s.low[v]) == s.index[v] {
                let mut component = Vec::new();
                while let Some(w) = s.stack.pop() {
                    s.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                s.out.push(component);
            }
        }
        let n = self.modules.len();
        let mut state = State {
            index: vec![None; n],
            low: vec![0; n],
            stack: Vec::new(),
            on_stack: vec![false; n],
            next: 0,
            out: Vec::new(),
        };
        for v in 0..n {
            if state.index[v].is_none() {
                visit(self, v, &mut state);
            }
        }
        state.out
    }

    /// One layering per module that has children: the module itself (`lib`, `main` or
    /// `mod`) and each child with everything under it as one node, and the edges between
    /// them. Keyed by the name ARCHITECTURE.md gives it: `error-spec`, `error-spec/sdk`.
    pub(crate) fn units(&self) -> Vec<Unit> {
        let mut units = Vec::new();
        for module in &self.modules {
            let depth = module.path.len();
            let mut children: Vec<String> = self
                .modules
                .iter()
                .filter(|m| m.path.len() == depth + 1 && m.path.starts_with(&module.path))
                .map(|m| m.path[depth].clone())
                .collect();
            if children.is_empty() {
                continue;
            }
            children.sort();
            let own = module
                .file
                .rsplit('/')
                .next()
                .unwrap_or(&module.file)
                .trim_end_matches(".rs")
                .to_owned();
            // The node each module of the subtree falls in.
            let node = |m: usize| -> Option<String> {
                let path = &self.modules[m].path;
                if !path.starts_with(&module.path) {
                    return None;
                }
                Some(path.get(depth).cloned().unwrap_or_else(|| own.clone()))
            };
            let mut edges = BTreeSet::new();
            for (&from, targets) in &self.edges {
                for &to in targets.keys() {
                    if let (Some(a), Some(b)) = (node(from), node(to))
                        && a != b
                    {
                        edges.insert((a, b));
                    }
                }
            }
            let mut nodes = vec![own];
            nodes.extend(children);
            let mut name = self.name.clone();
            for seg in &module.path {
                name.push('/');
                name.push_str(seg);
            }
            units.push(Unit { name, nodes, edges });
        }
        units
    }
}

/// One module's children (and itself) and the imports between them.
#[derive(Debug)]
pub(crate) struct Unit {
    pub(crate) name: String,
    pub(crate) nodes: Vec<String>,
    pub(crate) edges: BTreeSet<(String, String)>,
}

impl Unit {
    /// The layering the edges force, top first: each node as high as its longest chain of
    /// imports below it allows, so that leaves share the last layer. `None` on a circle.
    pub(crate) fn layers(&self) -> Option<Vec<Vec<String>>> {
        let mut height: BTreeMap<&str, usize> = BTreeMap::new();
        let mut left: Vec<&str> = self.nodes.iter().map(String::as_str).collect();
        while !left.is_empty() {
            let before = left.len();
            left.retain(|node| {
                let below: Vec<&str> = self
                    .edges
                    .iter()
                    .filter(|(a, _)| a == node)
                    .map(|(_, b)| b.as_str())
                    .collect();
                if below.iter().all(|b| height.contains_key(b)) {
                    let h = below.iter().map(|b| height[b] + 1).max().unwrap_or(0);
                    height.insert(node, h);
                    false
                } else {
                    true
                }
            });
            if left.len() == before {
                return None;
            }
        }
        let top = height.values().copied().max().unwrap_or(0);
        let mut layers = vec![Vec::new(); top + 1];
        for node in &self.nodes {
            layers[top - height[node.as_str()]].push(node.clone());
        }
        Some(layers)
    }

    /// The line ARCHITECTURE.md writes for it: `error-derive: lib → expand → ...`.
    pub(crate) fn line(&self) -> String {
        match self.layers() {
            Some(layers) => format!(
                "{}: {}",
                self.name,
                layers
                    .iter()
                    .map(|layer| layer.join(", "))
                    .collect::<Vec<_>>()
                    .join(" → ")
            ),
            None => format!("{}: (a circle)", self.name),
        }
    }

    /// Whether a stated layering (`a → b, c → d`) names exactly these nodes, each once, and
    /// every import goes from a layer to one below it; the problems otherwise.
    #[cfg(test)]
    pub(crate) fn check(&self, stated: &str) -> Result<(), String> {
        let layers: Vec<Vec<&str>> = stated
            .split('→')
            .map(|layer| layer.split(',').map(str::trim).collect())
            .collect();
        let mut at: BTreeMap<&str, usize> = BTreeMap::new();
        let mut problems = Vec::new();
        for (i, layer) in layers.iter().enumerate() {
            for node in layer {
                if at.insert(node, i).is_some() {
                    problems.push(format!("`{node}` is named twice"));
                }
            }
        }
        for node in &self.nodes {
            if !at.contains_key(node.as_str()) {
                problems.push(format!("`{node}` is missing"));
            }
        }
        for node in at.keys() {
            if !self.nodes.iter().any(|n| n == node) {
                problems.push(format!("`{node}` is not a module here"));
            }
        }
        for (a, b) in &self.edges {
            if let (Some(x), Some(y)) = (at.get(a.as_str()), at.get(b.as_str()))
                && x >= y
            {
                problems.push(format!("`{a}` imports `{b}`, which is not below it"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }
}

/// Every crate target of the workspace: the members of the root `Cargo.toml`, each with
/// `src/lib.rs` and/or `src/main.rs`.
pub(crate) fn workspace(root: &Path) -> Result<Vec<Graph>, String> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|err| format!("cannot read Cargo.toml: {err}"))?;
    let members = manifest
        .lines()
        .find_map(|line| line.trim().strip_prefix("members"))
        .ok_or("Cargo.toml has no `members` line")?;
    let members: Vec<&str> = members
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|member| !member.is_empty())
        .collect();
    let read = |path: &Path| std::fs::read_to_string(path).ok();
    let mut graphs = Vec::new();
    for member in members {
        let src: PathBuf = root.join(member).join("src");
        let lib = src.join("lib.rs");
        let main = src.join("main.rs");
        let both = lib.exists() && main.exists();
        if lib.exists() {
            graphs.push(Graph::build(member, &lib, &read)?);
        }
        if main.exists() {
            let name = if both {
                format!("{member} (bin)")
            } else {
                member.to_owned()
            };
            graphs.push(Graph::build(&name, &main, &read)?);
        }
    }
    Ok(graphs)
}

/// Every layering line of the workspace, as `cargo xtask module-graph` prints them.
pub(crate) fn report(root: &Path) -> Result<String, String> {
    let mut out = String::new();
    for graph in workspace(root)? {
        for cycle in graph.cycles() {
            let _ = writeln!(out, "circle: {cycle}");
        }
        for unit in graph.units() {
            let _ = writeln!(out, "{}", unit.line());
        }
    }
    Ok(out)
}

/// The layering lines ARCHITECTURE.md states: the lines of the ```` ```text ```` block
/// under its `## Module layering` heading, `name: layers`.
#[cfg(test)]
pub(crate) fn stated(architecture: &str) -> BTreeMap<String, String> {
    let Some(section) = architecture.split("\n## Module layering").nth(1) else {
        return BTreeMap::new();
    };
    let Some(block) = section.split("```text\n").nth(1) else {
        return BTreeMap::new();
    };
    let block = block.split("```").next().unwrap_or("");
    block
        .lines()
        .filter_map(|line| {
            let (name, layers) = line.split_once(": ")?;
            Some((name.trim().to_owned(), layers.trim().to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crate from in-memory files, `src/`-relative.
    fn graph(files: &[(&str, &str)]) -> Graph {
        let files: BTreeMap<PathBuf, String> = files
            .iter()
            .map(|(path, text)| (Path::new("src").join(path), (*text).to_owned()))
            .collect();
        let read = |path: &Path| files.get(path).cloned();
        Graph::build("demo", Path::new("src/lib.rs"), &read).expect("a module tree")
    }

    fn edges(graph: &Graph) -> Vec<String> {
        let mut out = Vec::new();
        for (from, targets) in &graph.edges {
            for to in targets.keys() {
                out.push(format!(
                    "{} -> {}",
                    graph.modules[*from].file, graph.modules[*to].file
                ));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn a_circle_is_found_and_printed_as_a_path() {
        let graph = graph(&[
            ("lib.rs", "mod a;\nmod b;\nmod c;\n"),
            ("a.rs", "use crate::b::B;\npub struct A;\n"),
            ("b.rs", "pub struct B(crate::c::C);\n"),
            ("c.rs", "use super::{a::{self, A}};\npub struct C;\n"),
        ]);
        assert_eq!(
            graph.cycles(),
            [
                "demo: a.rs → b.rs (`crate::b::B`) → c.rs (`crate::c::C`) → a.rs (`super::a`, `super::a::A`)"
            ]
        );
        let units = graph.units();
        assert_eq!(units[0].line(), "demo: (a circle)");
    }

    #[test]
    fn a_one_way_graph_has_no_circle_and_its_layering() {
        let graph = graph(&[
            ("lib.rs", "mod a;\nmod b;\nmod c;\npub use a::A;\n"),
            ("a.rs", "use crate::b::B;\npub struct A(B, crate::c::C);\n"),
            ("b.rs", "pub struct B(crate::c::C);\n"),
            ("c.rs", "pub struct C;\n"),
        ]);
        assert!(graph.cycles().is_empty(), "{:?}", graph.cycles());
        let unit = &graph.units()[0];
        assert_eq!(unit.line(), "demo: lib → a → b → c");
        assert_eq!(unit.check("lib → a → b → c"), Ok(()));
        assert_eq!(
            unit.check("lib → a, b → c"),
            Err("`a` imports `b`, which is not below it".to_owned())
        );
        assert!(
            unit.check("lib → a → b")
                .is_err_and(|e| e.contains("`c` is missing"))
        );
        assert!(
            unit.check("lib → a → b → c, d")
                .is_err_and(|e| e.contains("`d` is not"))
        );
    }

    /// `crate::A` re-exported by the root is the module that defines it, so the root is
    /// above both and nothing points back at it.
    #[test]
    fn a_path_through_a_re_export_is_one_to_the_defining_module() {
        let graph = graph(&[
            ("lib.rs", "mod a;\nmod b;\npub use a::A;\n"),
            ("a.rs", "pub struct A;\n"),
            ("b.rs", "use crate::A;\nfn f() -> crate::a::A { A }\n"),
        ]);
        assert_eq!(
            edges(&graph),
            ["b.rs -> a.rs", "lib.rs -> a.rs", "lib.rs -> b.rs"]
        );
        assert_eq!(graph.cycles().len(), 0);
    }

    /// A child that uses what its `mod.rs` defines, while `mod.rs` re-exports the child, is
    /// a circle; so is a root item used by a module the root imports.
    #[test]
    fn a_child_using_its_facade_s_own_item_is_a_circle() {
        let graph = graph(&[
            ("lib.rs", "pub mod limit;\n"),
            (
                "limit/mod.rs",
                "mod run;\npub use run::Guard;\npub struct Limiter;\n",
            ),
            (
                "limit/run.rs",
                "use super::Limiter;\npub struct Guard(Limiter);\n",
            ),
        ]);
        assert_eq!(
            graph.cycles(),
            [
                "demo: limit/mod.rs → limit/run.rs (`mod run`, `run::Guard`) → limit/mod.rs (`super::Limiter`)"
            ]
        );
    }

    /// Comments, doc links and strings are not imports; an inline test module's `super` is
    /// its file's module; a `#[macro_export]` macro belongs to its file.
    #[test]
    fn comments_strings_and_test_modules_are_read_right() {
        let graph = graph(&[
            ("lib.rs", "mod a;\nmod b;\nmod m;\n"),
            (
                "a.rs",
                "//! See [`crate::b::B`].\n/* use crate::b; */\nconst S: &str = \"crate::b::B\";\nconst R: &str = r#\"crate::b\"#;\nfn f<'a>(c: char) -> bool { c == '\"' }\n#[cfg(test)]\nmod tests { use super::*; use crate::m::x; }\n",
            ),
            ("b.rs", "pub struct B; fn g() { crate::mac!(); }\n"),
            (
                "m.rs",
                "#[macro_export]\nmacro_rules! mac { () => {} }\npub fn x() {}\n",
            ),
        ]);
        let from_children: Vec<String> = edges(&graph)
            .into_iter()
            .filter(|edge| !edge.starts_with("lib.rs"))
            .collect();
        assert_eq!(from_children, ["a.rs -> m.rs", "b.rs -> m.rs"]);
    }

    #[test]
    fn use_trees_expand_with_renames_globs_and_self() {
        let toks = tokenize("use crate::{a::{self, B as C}, d::*, e::F as _};");
        let mut items = Vec::new();
        use_tree(&toks, 1, Vec::new(), &mut items);
        let shown: Vec<String> = items
            .iter()
            .map(|item| {
                format!(
                    "{}={}",
                    item.path.join("::"),
                    item.name.as_deref().unwrap_or("-")
                )
            })
            .collect();
        assert_eq!(
            shown,
            ["crate::a=a", "crate::a::B=C", "crate::d=-", "crate::e::F=-"]
        );
    }

    /// No crate of the workspace has a circle in its modules' imports; the message names
    /// the modules and the paths that close it.
    #[test]
    fn every_crate_imports_one_way() {
        let graphs = workspace(&crate::workspace::root()).expect("every crate's module tree");
        assert!(graphs.len() >= 8, "{}", graphs.len());
        let cycles: Vec<String> = graphs.iter().flat_map(Graph::cycles).collect();
        assert!(
            cycles.is_empty(),
            "modules that import each other; move what they share to a leaf module:\n{}",
            cycles.join("\n")
        );
    }

    /// ARCHITECTURE.md's layering lines name every module that has children in every crate,
    /// and every import goes down them; on a mismatch it prints the line the graph draws.
    #[test]
    fn architecture_md_layering_matches_the_imports() {
        let root = crate::workspace::root();
        let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("readable");
        let stated = stated(&text);
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        for graph in workspace(&root).expect("every crate's module tree") {
            for unit in graph.units() {
                seen.insert(unit.name.clone());
                match stated.get(&unit.name) {
                    None => {
                        problems.push(format!("no line for `{}`; add: {}", unit.name, unit.line()))
                    }
                    Some(line) => {
                        if let Err(err) = unit.check(line) {
                            problems.push(format!(
                                "`{}`: {err}; the imports draw: {}",
                                unit.name,
                                unit.line()
                            ));
                        }
                    }
                }
            }
        }
        for name in stated.keys().filter(|name| !seen.contains(*name)) {
            problems.push(format!("`{name}` is not a module with children"));
        }
        assert!(
            problems.is_empty(),
            "ARCHITECTURE.md `## Module layering` is out of date (`cargo xtask module-graph` prints it):\n{}",
            problems.join("\n")
        );
    }
}
