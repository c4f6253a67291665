package personalization

import "testing"

// A segment set whose rules do not read the visitor id lets callers key
// a visitor's class without it; any rule that may read it says so.
func TestReadsVisitorID(t *testing.T) {
	t.Parallel()
	for rule, want := range map[string]bool{
		`traits.visits > 3`: false,
		`context.device == "mobile" && "vip" in context.segments`: false,
		`context["channel"] == "web"`:                             false,
		`has(context.device)`:                                     false,
		`context.visitorId == "v1"`:                               true,
		`context["visitorId"].startsWith("v")`:                    true,
		`has(context.visitorId)`:                                  true,
		`context.exists(k, context[k] == "v1")`:                   true,
		`"visitorId" in context`:                                  true,
	} {
		set, err := CompileSegments([]Segment{{Key: "s", Rule: rule}}, nil)
		if err != nil {
			t.Fatalf("%s: %v", rule, err)
		}
		if got := set.ReadsVisitorID(); got != want {
			t.Errorf("%s: ReadsVisitorID = %v, want %v", rule, got, want)
		}
	}
	if (*SegmentSet)(nil).ReadsVisitorID() {
		t.Error("no rules read nothing")
	}
}
