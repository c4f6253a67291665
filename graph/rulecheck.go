package graph

import (
	"errors"
	"regexp"
	"strconv"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph/model"
	"github.com/mosaichq/mosaic/personalization"
)

// rulePosition reads the "line L, column C: message" prefix CompileRule puts
// on each problem (personalization.positioned), so the studio's CEL editor
// can underline the spot without parsing prose itself.
var rulePosition = regexp.MustCompile(`^line (\d+), column (\d+): (?s)(.*)$`)

// ruleValidation compiles rule exactly as createSegment would and reports
// every problem; nothing is stored.
func ruleValidation(rule string) *model.RuleValidation {
	_, err := personalization.CompileRule(rule)
	out := &model.RuleValidation{Valid: err == nil, Problems: []*model.RuleProblem{}}
	if err == nil {
		return out
	}
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		out.Problems = append(out.Problems, &model.RuleProblem{Message: err.Error()})
		return out
	}
	for _, f := range e.Fields {
		p := &model.RuleProblem{Message: f.Message}
		if m := rulePosition.FindStringSubmatch(f.Message); m != nil {
			line, _ := strconv.Atoi(m[1])
			col, _ := strconv.Atoi(m[2])
			p.Line, p.Column, p.Message = &line, &col, m[3]
		}
		out.Problems = append(out.Problems, p)
	}
	return out
}
