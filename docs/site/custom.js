// flink-tasks docs site (typedoc.json "customJs"): the guides ("Guides")
// and the entry points ("API") start expanded in the navigation, so a
// first visit sees them; a reader who collapses them keeps that choice
// (typedoc stores it under the same keys).
try {
  for (const key of ['tsd-accordion-Guides', 'tsd-accordion-API']) {
    if (localStorage.getItem(key) === null) localStorage.setItem(key, 'true');
  }
} catch {
  // storage disabled: typedoc falls back to collapsed
}
