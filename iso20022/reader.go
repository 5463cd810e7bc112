package iso20022

import (
	"encoding/xml"
	"errors"
	"fmt"
	"github.com/vigilfiu/vigil/internal/xmlsafe"
	"io"
	"strings"

	"github.com/vigilfiu/vigil"
)

// Message is the ISO 20022 message a document holds, as read from the
// namespace of its Document element.
type Message struct {
	Type      string // "pacs.008", "pain.001", "camt.052", "camt.053" or "camt.054"
	Version   string // e.g. "001.08"
	Namespace string // as written in the document
}

// String returns the message identifier, e.g. "camt.053.001.02".
func (m Message) String() string {
	if m.Type == "" {
		return ""
	}
	return m.Type + "." + m.Version
}

// supported lists, per message type, the element that follows Document and
// the versions read (first and last "001.NN" inclusive).
var supported = map[string]struct {
	root       string
	minV, maxV int
}{
	"pacs.008": {"FIToFICstmrCdtTrf", 2, 12},
	"pain.001": {"CstmrCdtTrfInitn", 3, 11},
	"camt.052": {"BkToCstmrAcctRpt", 1, 8},
	"camt.053": {"BkToCstmrStmt", 2, 8},
	"camt.054": {"BkToCstmrDbtCdtNtfctn", 2, 8},
}

// Kind says what a Record holds.
type Kind int

const (
	KindParty    Kind = 1 // Record.Party is set
	KindTransfer Kind = 2 // Record.Transfer is set
)

// Record is one object read from a message: a party (the debtor of a
// transfer, given once per reader before its first transfer) or a transfer.
type Record struct {
	Kind     Kind
	Party    *vigil.Party
	Transfer *vigil.Transfer
}

// RecordError reports one transaction that was read but cannot become a
// vigil transfer (no debtor named, a zero amount, no country for the
// creditor). It is not fatal: the caller may call Next again.
type RecordError struct {
	File         string
	Line, Column int
	Reason       string
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Reason)
}

// Reader reads transfers and parties from one ISO 20022 document.
type Reader struct {
	name string
	lim  Limits
	src  *xmlsafe.Limiter
	dec  *xml.Decoder

	stack    []string // local names of the open elements
	text     []byte   // text of the innermost open element
	ccy      string   // Ccy attribute of the innermost open element
	leaf     bool     // the innermost open element has no child element yet
	msg      Message
	docDepth int // depth of Document, -1 outside one
	seenBody bool
	ended    bool
	fatal    error // returned by every Next once ended: io.EOF or the fatal error

	grp   txn   // group header fields (MsgId, CreDtTm, IntrBkSttlmDt)
	pmt   txn   // pain.001 payment information (debtor side)
	stmt  txn   // camt statement: the account in dbtrAcct
	entry txn   // camt entry
	txs   []txn // transactions of the current camt entry, or the one of pacs/pain
	seq   int   // transactions seen, for fallback ids

	seen    map[string]bool // party ids already returned
	pending []Record        // a zero Record stands for the next of recErrs
	recErrs []*RecordError
}

// NewReader returns a reader of the ISO 20022 document r; name is used in
// error messages and provenance (a file name).
func NewReader(r io.Reader, name string) *Reader {
	return NewReaderLimits(r, name, Limits{})
}

// NewReaderLimits is NewReader with explicit limits.
func NewReaderLimits(r io.Reader, name string, lim Limits) *Reader {
	lim = lim.withDefaults()
	src := xmlsafe.NewLimiter(r, lim.MaxToken)
	dec := xml.NewDecoder(src)
	dec.Strict = true
	// No Entity map: only the five predefined entities are known. Only UTF-8
	// is read (ISO 20022 messages are UTF-8 by rule).
	dec.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("the document declares encoding %q; vigil reads UTF-8 documents only", label)
	}
	return &Reader{name: name, lim: lim, src: src, dec: dec, docDepth: -1, seen: map[string]bool{}}
}

// Message returns the message detected so far (empty before the Document
// element has been read).
func (r *Reader) Message() Message { return r.msg }

// Next returns the next record, io.EOF after the last one, a *RecordError
// for a transaction that cannot be imported (reading may go on), or a fatal
// *vigil.Error (EINVALID) naming file:line:column.
func (r *Reader) Next() (Record, error) {
	for {
		if len(r.pending) > 0 {
			rec := r.pending[0]
			r.pending = r.pending[1:]
			if rec.Kind == 0 { // a deferred RecordError
				return Record{}, r.pendingErr()
			}
			return rec, nil
		}
		if r.ended {
			return Record{}, r.fatal
		}
		if err := r.step(); err != nil {
			if err == io.EOF {
				r.ended, r.fatal = true, io.EOF
				if r.msg.Type == "" {
					r.fatal = r.fail(1, 1, "no ISO 20022 Document element found")
				}
				continue
			}
			r.ended, r.fatal = true, err
			return Record{}, err
		}
	}
}

func (r *Reader) pos() (int, int) { return r.src.Pos(r.dec) }

func (r *Reader) fail(line, col int, reason string) error {
	return vigil.Errorf(vigil.EINVALID, "%s:%d:%d: %s", r.name, line, col, reason)
}

func (r *Reader) errf(format string, args ...any) error {
	l, c := r.pos()
	return r.fail(l, c, fmt.Sprintf(format, args...))
}

// step reads one token and acts on it.
func (r *Reader) step() error {
	r.src.Reset()
	tok, err := r.dec.Token()
	if err != nil {
		if err == io.EOF {
			return io.EOF
		}
		if errors.Is(err, xmlsafe.ErrTokenTooLarge) {
			return r.errf("a tag, text or comment is longer than %d bytes", r.lim.MaxToken)
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			l, c := r.pos()
			return r.fail(l, c, "XML syntax error: "+se.Msg)
		}
		return r.errf("%v", err)
	}
	switch t := tok.(type) {
	case xml.Directive:
		return r.errf("document type declarations (DOCTYPE) and entity declarations are refused")
	case xml.StartElement:
		if len(r.stack) >= r.lim.MaxDepth {
			return r.errf("elements nested deeper than %d", r.lim.MaxDepth)
		}
		r.stack = append(r.stack, t.Name.Local)
		r.text = r.text[:0]
		r.leaf = true
		r.ccy = ""
		for _, a := range t.Attr {
			if a.Name.Local == "Ccy" {
				r.ccy = a.Value
			}
		}
		return r.start(t)
	case xml.CharData:
		if r.leaf && r.docDepth >= 0 {
			r.text = append(r.text, t...)
		}
	case xml.EndElement:
		var err error
		if r.leaf && r.docDepth >= 0 && len(r.stack) > r.docDepth+2 {
			r.value(r.stack[r.docDepth+2:], strings.TrimSpace(string(r.text)))
		}
		err = r.end()
		r.stack = r.stack[:len(r.stack)-1]
		r.leaf = false
		return err
	}
	return nil
}

// start handles the opening of an element.
func (r *Reader) start(t xml.StartElement) error {
	depth := len(r.stack) - 1
	if r.docDepth < 0 {
		if t.Name.Local != "Document" {
			return nil // an envelope or application header around the Document
		}
		msg, ok := detect(t.Name.Space)
		if !ok {
			if t.Name.Space == "" {
				return r.errf("the Document element has no namespace, so the ISO 20022 message and version cannot be told")
			}
			return r.errf("namespace %q is not an ISO 20022 message vigil reads (pacs.008, pain.001, camt.052, camt.053, camt.054)", t.Name.Space)
		}
		s := supported[msg.Type]
		v := versionNumber(msg.Version)
		if s.root == "" || v < s.minV || v > s.maxV {
			return r.errf("%s is not a version vigil reads: it reads %s", msg, versions())
		}
		r.msg, r.docDepth, r.seenBody = msg, depth, false
		r.grp = txn{}
		return nil
	}
	rel := r.stack[r.docDepth+1:]
	switch len(rel) {
	case 1:
		// Version 1 messages name the root with a suffix (BkToCstmrAcctRptV01).
		if want := supported[r.msg.Type].root; rel[0] != want && rel[0] != want+"V01" {
			return r.errf("%s: expected <%s> inside Document, found <%s>", r.msg, want, rel[0])
		}
		return nil
	}
	body := rel[1:]
	l, c := r.pos()
	switch r.msg.Type {
	case "pacs.008":
		if len(body) == 1 && body[0] == "CdtTrfTxInf" {
			r.seenBody = true
			r.txs = append(r.txs[:0], txn{line: l, col: c})
		}
	case "pain.001":
		if len(body) == 1 && body[0] == "PmtInf" {
			r.seenBody = true
			r.pmt = txn{line: l, col: c}
		} else if len(body) == 2 && body[0] == "PmtInf" && body[1] == "CdtTrfTxInf" {
			r.txs = append(r.txs[:0], txn{line: l, col: c})
		}
	default: // camt
		if len(body) == 1 && isStatement(body[0]) {
			r.seenBody = true
			r.stmt = txn{line: l, col: c}
		} else if len(body) == 2 && isStatement(body[0]) && body[1] == "Ntry" {
			r.entry = txn{line: l, col: c}
			r.txs = r.txs[:0]
		} else if len(body) == 4 && isStatement(body[0]) && body[1] == "Ntry" && body[2] == "NtryDtls" && body[3] == "TxDtls" {
			if len(r.txs) >= r.lim.MaxEntryTransactions {
				return r.errf("a statement entry holds more than %d transactions", r.lim.MaxEntryTransactions)
			}
			r.txs = append(r.txs, txn{line: l, col: c})
		}
	}
	return nil
}

func isStatement(s string) bool { return s == "Stmt" || s == "Rpt" || s == "Ntfctn" }

// end handles the closing of the innermost element.
func (r *Reader) end() error {
	if r.docDepth < 0 {
		return nil
	}
	depth := len(r.stack) - 1
	if depth == r.docDepth {
		r.docDepth = -1
		return nil
	}
	rel := r.stack[r.docDepth+1:]
	if len(rel) == 1 {
		if !r.seenBody {
			want := map[string]string{"pacs.008": "CdtTrfTxInf", "pain.001": "PmtInf", "camt.052": "Rpt", "camt.053": "Stmt", "camt.054": "Ntfctn"}[r.msg.Type]
			return r.errf("%s: <%s> holds no <%s>; the schema requires at least one", r.msg, rel[0], want)
		}
		return nil
	}
	body := rel[1:]
	switch r.msg.Type {
	case "pacs.008":
		if len(body) == 1 && body[0] == "CdtTrfTxInf" {
			r.emit(&r.txs[0], nil)
		}
	case "pain.001":
		if len(body) == 2 && body[0] == "PmtInf" && body[1] == "CdtTrfTxInf" {
			r.emit(&r.txs[0], nil)
		}
	default:
		if len(body) == 2 && isStatement(body[0]) && body[1] == "Ntry" {
			if len(r.txs) == 0 {
				r.emit(&r.entry, nil)
			}
			for i := range r.txs {
				r.emit(&r.txs[i], &r.entry)
			}
			r.txs = r.txs[:0]
		}
	}
	return nil
}

// value stores the text of a leaf element; body is its path below the
// message element (GrpHdr/…, CdtTrfTxInf/…, PmtInf/…, Stmt/…).
func (r *Reader) value(body []string, v string) {
	if v == "" {
		return
	}
	if body[0] == "GrpHdr" {
		r.grp.set(body[1:], v, r.ccy)
		return
	}
	switch r.msg.Type {
	case "pacs.008":
		if body[0] == "CdtTrfTxInf" && len(r.txs) == 1 {
			r.txs[0].set(body[1:], v, r.ccy)
		}
	case "pain.001":
		if body[0] != "PmtInf" || len(body) < 2 {
			return
		}
		if body[1] == "CdtTrfTxInf" {
			if len(r.txs) == 1 {
				r.txs[0].set(body[2:], v, r.ccy)
			}
			return
		}
		r.pmt.set(body[1:], v, r.ccy)
	default:
		if !isStatement(body[0]) || len(body) < 2 {
			return
		}
		if body[1] == "Ntry" {
			if len(body) >= 5 && body[2] == "NtryDtls" && body[3] == "TxDtls" {
				if n := len(r.txs); n > 0 {
					r.txs[n-1].set(body[4:], v, r.ccy)
				}
				return
			}
			if len(body) >= 3 && body[2] != "NtryDtls" {
				r.entry.set(body[2:], v, r.ccy)
			}
			return
		}
		switch body[1] {
		case "Acct":
			r.stmt.dbtrAcct.set(body[2:], v)
		case "CreDtTm":
			r.stmt.creDtTm = v
		}
	}
}

// detect reads the message type and version from a namespace such as
// "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" or a bank's variant that
// embeds the same identifier (SIX: ".../pain.001.001.03.ch.02.xsd").
func detect(ns string) (Message, bool) {
	for i := 0; i+15 <= len(ns); i++ {
		s := ns[i : i+15] // "camt.053.001.02"
		if !(strings.HasPrefix(s, "pacs.") || strings.HasPrefix(s, "pain.") || strings.HasPrefix(s, "camt.")) {
			continue
		}
		if !digits(s[5:8]) || s[8] != '.' || !digits(s[9:12]) || s[12] != '.' || !digits(s[13:15]) {
			continue
		}
		if i+15 < len(ns) && ns[i+15] >= '0' && ns[i+15] <= '9' {
			continue
		}
		return Message{Type: s[:8], Version: s[9:], Namespace: ns}, true
	}
	return Message{}, false
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func versionNumber(v string) int {
	if len(v) != 6 || v[:4] != "001." {
		return -1
	}
	return int(v[4]-'0')*10 + int(v[5]-'0')
}

func versions() string {
	return "pacs.008.001.02–12, pain.001.001.03–11, camt.052.001.01–08, camt.053.001.02–08, camt.054.001.02–08"
}

func (r *Reader) pendingErr() error {
	e := r.recErrs[0]
	r.recErrs = r.recErrs[1:]
	return e
}
