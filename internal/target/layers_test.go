package target

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/rentix/mediaharness/"

// The reference server is reached through a session: only this package
// and the `serve` command import it (tests may start one directly).
func TestLayers_OnlyTheSessionAndServeImportTheReferenceServer(t *testing.T) {
	allowed := map[string]bool{"internal/target/session.go": true, "internal/cli/serve.go": true}
	for file, imports := range moduleImports(t) {
		if strings.HasPrefix(file, "internal/refserver/") {
			continue
		}
		for _, imp := range imports {
			if imp == module+"internal/refserver" && !allowed[file] {
				t.Errorf("%s imports internal/refserver: prepare the target with internal/target instead", file)
			}
		}
	}
}

// moduleImports maps every non-test Go file of the module, by its path from
// the module root, to what it imports.
func moduleImports(t *testing.T) map[string][]string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "reports" || d.Name() == "testdata"):
			return filepath.SkipDir
		case d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go"):
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out[filepath.ToSlash(rel)] = append(out[filepath.ToSlash(rel)], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 50 {
		t.Fatalf("found only %d Go files under %s: is this the module root?", len(out), root)
	}
	return out
}
