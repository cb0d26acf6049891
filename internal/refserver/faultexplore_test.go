package refserver

// exploreTested are the faults internal/explore's tests show caught
// (TestRun_CatchesExploreFaults): each needs generated inputs or a
// sequence checked against a model.
var exploreTested = func() []string {
	var names []string
	for _, f := range exploreFaults {
		names = append(names, f.Name)
	}
	return names
}()
