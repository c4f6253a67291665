package graph

import "testing"

func TestRuleValidation(t *testing.T) {
	ok := ruleValidation(`traits.visits > 3 && context.device == "mobile"`)
	if !ok.Valid || len(ok.Problems) != 0 {
		t.Fatalf("valid rule reported %+v", ok.Problems)
	}
	bad := ruleValidation("traits.visits > 3 &&\n  context.devise == \"mobile\"")
	if bad.Valid || len(bad.Problems) == 0 {
		t.Fatal("a misspelt context field must not validate")
	}
	p := bad.Problems[0]
	if p.Line == nil || *p.Line != 2 || p.Column == nil || *p.Column < 1 || p.Message == "" {
		t.Fatalf("want a problem on line 2 with a column and a message, got %+v", p)
	}
	notBool := ruleValidation("traits.visits + 1")
	if notBool.Valid || len(notBool.Problems) != 1 {
		t.Fatalf("a non-bool rule must not validate: %+v", notBool)
	}
	empty := ruleValidation("  ")
	if empty.Valid || empty.Problems[0].Line != nil {
		t.Fatalf("an empty rule is a problem without a position: %+v", empty.Problems)
	}
}
