package detect

import vigil "github.com/vigilfiu/vigil"

// senderExt is per-sender state for indicators added after the core
// engine: Observe calls observeExt once per transfer, after the sender-wide
// counters and the recipient slot are updated (sl is nil when the transfer
// went to a recipient beyond maxSlots). Keep it bounded per sender.
type senderExt struct{}

// observeExt updates senderExt for one observed transfer.
func (e *Engine) observeExt(s *sender, sl *slot, rc *record, t *vigil.Transfer, eur float64, flags uint16) {
}
