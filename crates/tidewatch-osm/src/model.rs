//! What an extract holds that a road graph needs: highway and ferry ways, and their nodes.

use std::collections::{BTreeMap, HashMap};

/// Ways kept from an extract and the coordinates of the nodes inside the pack's bounds (a
/// way's node missing here lies outside the extract or the bounds).
#[derive(Debug, Default)]
pub struct OsmData {
    pub nodes: HashMap<i64, (f64, f64)>,
    pub ways: Vec<Way>,
    /// Nodes read, ways read (all kinds), for the report.
    pub nodes_read: u64,
    pub ways_read: u64,
}

#[derive(Debug, Clone)]
pub struct Way {
    pub id: i64,
    pub nodes: Vec<i64>,
    pub tags: BTreeMap<String, String>,
}

impl Way {
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags.get(key).map(String::as_str)
    }

    pub fn is_ferry(&self) -> bool {
        self.tag("route") == Some("ferry")
    }

    /// Travel is allowed only from the first node to the last (`oneway=-1` is reversed
    /// into this form when the way is read; roundabouts and motorways are one-way unless
    /// tagged otherwise).
    pub fn oneway(&self) -> bool {
        match self.tag("oneway") {
            Some("yes" | "1" | "true" | "-1") => true,
            Some("no" | "0" | "false") => false,
            _ => self.tag("junction") == Some("roundabout") || self.tag("highway") == Some("motorway"),
        }
    }

    /// `bridge`, `tunnel` or empty.
    pub fn structure(&self) -> &'static str {
        let yes = |k| self.tag(k).is_some_and(|v| v != "no");
        if yes("bridge") {
            "bridge"
        } else if yes("tunnel") {
            "tunnel"
        } else {
            ""
        }
    }
}

impl OsmData {
    /// Keep a way that is a highway or a ferry route; `oneway=-1` is turned around so that
    /// every one-way way runs first node → last node.
    pub fn keep_way(&mut self, id: i64, mut nodes: Vec<i64>, tags: BTreeMap<String, String>) {
        self.ways_read += 1;
        if !(tags.contains_key("highway") || tags.get("route").is_some_and(|r| r == "ferry")) {
            return;
        }
        if tags.get("oneway").is_some_and(|v| v == "-1") {
            nodes.reverse();
        }
        self.ways.push(Way { id, nodes, tags });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The way kept from `tags` (`k=v` pairs) over nodes 1, 2, 3.
    fn kept(tags: &[(&str, &str)]) -> Way {
        let mut d = OsmData::default();
        let tags = tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        d.keep_way(7, vec![1, 2, 3], tags);
        d.ways.pop().expect("a highway is kept")
    }

    #[test]
    fn oneway_tags_give_the_direction_of_travel() {
        for v in ["yes", "1", "true"] {
            let w = kept(&[("highway", "residential"), ("oneway", v)]);
            assert!(w.oneway() && w.nodes == [1, 2, 3], "oneway={v}");
        }
        // -1: one-way against the way's drawing; turned round so it runs first → last.
        let w = kept(&[("highway", "residential"), ("oneway", "-1")]);
        assert!(w.oneway() && w.nodes == [3, 2, 1]);
        // Roundabouts and motorways are one-way unless tagged otherwise.
        assert!(kept(&[("highway", "tertiary"), ("junction", "roundabout")]).oneway());
        assert!(kept(&[("highway", "motorway")]).oneway());
        assert!(!kept(&[("highway", "motorway"), ("oneway", "no")]).oneway());
        for tags in
            [&[("highway", "residential")][..], &[("highway", "primary"), ("oneway", "no")], &[("highway", "trunk"), ("oneway", "0")]]
        {
            assert!(!kept(tags).oneway(), "{tags:?}");
        }
    }
}
