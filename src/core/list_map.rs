//! [`ListMap`]: a small map with string keys kept as a list, in insertion order.
//!
//! The maps this client holds have a handful of entries (an object's members, the access
//! tokens of one session), so a list is as fast as a tree or hash map and compiles to far less
//! wasm than either (one `BTreeMap` instantiation cost ~6 KB gzip).

/// String keys to values, in insertion order, each key at most once.
///
/// ```
/// use leptos_logto::core::list_map::ListMap;
/// let mut map = ListMap::new();
/// map.insert("b", 1);
/// map.insert("a", 2);
/// map.insert("b", 3);
/// assert_eq!(map.iter().collect::<Vec<_>>(), [("b", &3), ("a", &2)]);
/// assert_eq!(map.get("a"), Some(&2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListMap<V>(Vec<(String, V)>);

impl<V> Default for ListMap<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> ListMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// From entries whose keys the caller has already checked to be unique.
    pub(crate) fn from_unique(entries: Vec<(String, V)>) -> Self {
        Self(entries)
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key` to `value`, in place when the key is there, else at the end.
    pub fn insert(&mut self, key: impl Into<String>, value: V) {
        let key = key.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, existing)) => *existing = value,
            None => self.0.push((key, value)),
        }
    }

    /// The keys and values, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
