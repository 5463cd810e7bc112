package vigil

import "time"

// CallDirection is in (the account owner received) or out (placed).
type CallDirection string

const (
	DirectionIn  CallDirection = "in"
	DirectionOut CallDirection = "out"
)

// CallKind is the kind of communication event.
type CallKind string

const (
	KindCall  CallKind = "call"
	KindVideo CallKind = "video"
	KindChat  CallKind = "chat"
)

// CallEvent is one communication event from a seized device or a platform's
// answer to a legal request: metadata only, never content.
type CallEvent struct {
	ID          string        `json:"event_id"`    // unique, required
	Timestamp   time.Time     `json:"timestamp"`   // required, with offset
	Account     string        `json:"account"`     // the device owner's handle, required
	Counterpart string        `json:"counterpart"` // the other side's handle, required
	Platform    string        `json:"platform,omitempty"`
	Direction   CallDirection `json:"direction,omitempty"`  // in or out
	Kind        CallKind      `json:"kind,omitempty"`       // call, video or chat
	DurationS   int           `json:"duration_s,omitempty"` // seconds, >= 0
	Source      string        `json:"source,omitempty"`
}

// Validate checks the invariants of a call event.
func (e *CallEvent) Validate() error {
	switch {
	case e.ID == "":
		return Errorf(EINVALID, "event_id is required")
	case e.Timestamp.IsZero():
		return Errorf(EINVALID, "event %s: timestamp is required", e.ID)
	case e.Account == "":
		return Errorf(EINVALID, "event %s: account is required", e.ID)
	case e.Counterpart == "":
		return Errorf(EINVALID, "event %s: counterpart is required", e.ID)
	case e.Direction != "" && e.Direction != DirectionIn && e.Direction != DirectionOut:
		return Errorf(EINVALID, "event %s: direction must be in or out", e.ID)
	case e.Kind != "" && e.Kind != KindCall && e.Kind != KindVideo && e.Kind != KindChat:
		return Errorf(EINVALID, "event %s: kind must be call, video or chat", e.ID)
	case e.DurationS < 0:
		return Errorf(EINVALID, "event %s: duration_s must not be negative", e.ID)
	}
	return nil
}
