package cli

import (
	"fmt"
	"strings"
)

// maxTagAlternatives bounds the alternatives a tag expression expands to.
const maxTagAlternatives = 64

// godogTags turns a Cucumber tag expression ("@a and not (@b or @c)") into
// the older syntax godog v0.16 filters by ("@a && ~@b && ~@c"): alternatives
// joined by ",", terms by "&&", "~" for not. godog reads "not @b" as a tag
// named "not b", so the translation is what makes current expressions work.
// An expression without and, or, not or parentheses is returned unchanged.
func godogTags(expr string) (string, error) {
	toks := tagTokens(expr)
	cucumber := false
	for _, t := range toks {
		switch t {
		case "and", "or", "not", "(", ")":
			cucumber = true
		}
	}
	if !cucumber {
		return expr, nil
	}
	p := &tagParser{toks: toks, expr: expr}
	dnf, err := p.or()
	if err == nil && p.pos < len(p.toks) {
		err = p.errorf("unexpected %q", p.toks[p.pos])
	}
	if err != nil {
		return "", err
	}
	alts := make([]string, len(dnf))
	for i, conj := range dnf {
		alts[i] = strings.Join(conj, " && ")
	}
	return strings.Join(alts, ", "), nil
}

func tagTokens(expr string) []string {
	expr = strings.NewReplacer("(", " ( ", ")", " ) ").Replace(expr)
	return strings.Fields(expr)
}

// dnf is a disjunction of conjunctions of godog terms ("@a", "~@a").
type dnf [][]string

type tagParser struct {
	toks []string
	pos  int
	expr string
}

func (p *tagParser) errorf(format string, a ...any) error {
	return usagef("--tags %q: %s; write e.g. \"@a and not (@b or @c)\"", p.expr, fmt.Sprintf(format, a...))
}

func (p *tagParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *tagParser) or() (dnf, error) {
	left, err := p.and()
	for err == nil && p.peek() == "or" {
		p.pos++
		var right dnf
		if right, err = p.and(); err == nil {
			left = append(left, right...)
		}
	}
	if err == nil && len(left) > maxTagAlternatives {
		err = p.errorf("more than %d alternatives", maxTagAlternatives)
	}
	return left, err
}

func (p *tagParser) and() (dnf, error) {
	left, err := p.not()
	for err == nil && p.peek() == "and" {
		p.pos++
		var right dnf
		if right, err = p.not(); err == nil {
			left, err = p.product(left, right)
		}
	}
	return left, err
}

// product is the conjunction of two DNFs.
func (p *tagParser) product(a, b dnf) (dnf, error) {
	if len(a)*len(b) > maxTagAlternatives {
		return nil, p.errorf("more than %d alternatives", maxTagAlternatives)
	}
	var out dnf
	for _, x := range a {
		for _, y := range b {
			out = append(out, append(append([]string{}, x...), y...))
		}
	}
	return out, nil
}

func (p *tagParser) not() (dnf, error) {
	switch t := p.peek(); {
	case t == "":
		return nil, p.errorf("ends where a tag is expected")
	case t == "not":
		p.pos++
		inner, err := p.not()
		if err != nil {
			return nil, err
		}
		return p.negate(inner)
	case t == "(":
		p.pos++
		inner, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, p.errorf("missing )")
		}
		p.pos++
		return inner, nil
	case strings.HasPrefix(t, "@") && len(t) > 1 && !strings.ContainsAny(t[1:], "@~,&"):
		p.pos++
		return dnf{{t}}, nil
	default:
		return nil, p.errorf("unexpected %q where a tag (@name), not or ( is expected", t)
	}
}

// negate applies De Morgan: not (A or B) is (not A) and (not B), and
// not (a and b) is (not a) or (not b).
func (p *tagParser) negate(d dnf) (dnf, error) {
	out := dnf{{}}
	for _, conj := range d {
		var alt dnf
		for _, term := range conj {
			if neg, ok := strings.CutPrefix(term, "~"); ok {
				alt = append(alt, []string{neg})
			} else {
				alt = append(alt, []string{"~" + term})
			}
		}
		var err error
		if out, err = p.product(out, alt); err != nil {
			return nil, err
		}
	}
	return out, nil
}
