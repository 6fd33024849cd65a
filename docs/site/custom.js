// flink-tasks docs site (typedoc.json "customJs"): the guides ("Documents")
// start expanded in the navigation, so a first visit sees them; a reader who
// collapses them keeps that choice (typedoc stores it under the same key).
try {
  if (localStorage.getItem('tsd-accordion-Documents') === null) localStorage.setItem('tsd-accordion-Documents', 'true');
} catch {
  // storage disabled: typedoc falls back to collapsed
}
