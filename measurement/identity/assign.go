package identity

import (
	"sort"
	"time"
)

// Exposure is a visitor's first exposure to an experiment.
type Exposure struct {
	VisitorID  string
	Experiment string
	Arm        string
	At         time.Time
	DecisionID string
}

// Member is a visitor id of a cluster, and since when.
type Member struct {
	VisitorID string
	LinkedAt  time.Time
}

// Assignment is a person's arm of one experiment.
type Assignment struct {
	Experiment string
	Arm        string
	// First is the exposure that decided the arm.
	First Exposure
	// Conflicts are the cluster's exposures to other arms: visitors
	// exposed before their ids were joined. Reports count the person in
	// Arm; these exposures are marked conflict.
	Conflicts []Exposure
}

// Assign is first-touch per cluster: for each experiment, the arm of the
// earliest exposure among the members' (ties: the smaller visitor id, then
// decision id, so the answer never depends on order), the exposures to
// other arms listed as conflicts. A kiosk member's exposures before it
// was linked are not the person's and are left out.
func Assign(members []Member, exposures []Exposure) []Assignment {
	linked := make(map[string]time.Time, len(members))
	for _, m := range members {
		linked[m.VisitorID] = m.LinkedAt
	}
	var kept []Exposure
	for _, e := range exposures {
		at, ok := linked[e.VisitorID]
		if !ok || (Kiosk(e.VisitorID) && e.At.Before(at)) {
			continue
		}
		kept = append(kept, e)
	}
	sort.Slice(kept, func(i, j int) bool {
		a, b := kept[i], kept[j]
		switch {
		case a.Experiment != b.Experiment:
			return a.Experiment < b.Experiment
		case !a.At.Equal(b.At):
			return a.At.Before(b.At)
		case a.VisitorID != b.VisitorID:
			return a.VisitorID < b.VisitorID
		}
		return a.DecisionID < b.DecisionID
	})
	var out []Assignment
	for _, e := range kept {
		if len(out) == 0 || out[len(out)-1].Experiment != e.Experiment {
			out = append(out, Assignment{Experiment: e.Experiment, Arm: e.Arm, First: e})
			continue
		}
		if a := &out[len(out)-1]; e.Arm != a.Arm {
			a.Conflicts = append(a.Conflicts, e)
		}
	}
	return out
}
