package iso20022

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigilfiu/vigil"
)

// party is a debtor or creditor as written in a message.
type party struct {
	name, country, ctryRes, city, postcode, street, building string
	adrLines                                                 []string
	birth, phone, email, idnum, bic                          string
	org                                                      bool
}

func (p *party) set(path []string, v string) {
	if len(path) > 0 && path[0] == "Pty" { // camt v08 wraps the party in Pty
		path = path[1:]
	}
	if len(path) == 0 {
		return
	}
	switch path[0] {
	case "Nm":
		p.name = v
	case "CtryOfRes":
		p.ctryRes = v
	case "PstlAdr":
		if len(path) < 2 {
			return
		}
		switch path[1] {
		case "Ctry":
			p.country = v
		case "TwnNm":
			p.city = v
		case "PstCd":
			p.postcode = v
		case "StrtNm":
			p.street = v
		case "BldgNb":
			p.building = v
		case "AdrLine":
			p.adrLines = append(p.adrLines, v)
		}
	case "Id":
		if len(path) < 3 {
			return
		}
		if path[1] == "OrgId" {
			p.org = true
			switch path[2] {
			case "AnyBIC", "BICOrBEI":
				p.bic = v
			case "LEI":
				if p.idnum == "" {
					p.idnum = v
				}
			case "Othr":
				if len(path) == 4 && path[3] == "Id" && p.idnum == "" {
					p.idnum = v
				}
			}
			return
		}
		if path[1] == "PrvtId" {
			switch {
			case path[2] == "DtAndPlcOfBirth" && len(path) == 4 && path[3] == "BirthDt":
				p.birth = v
			case path[2] == "Othr" && len(path) == 4 && path[3] == "Id" && p.idnum == "":
				p.idnum = v
			}
		}
	case "CtctDtls":
		if len(path) < 2 {
			return
		}
		switch path[1] {
		case "PhneNb", "MobNb":
			if p.phone == "" {
				p.phone = v
			}
		case "EmailAdr":
			p.email = v
		}
	}
}

func (p *party) address() string {
	var b strings.Builder
	add := func(s string) {
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s)
	}
	street := p.street
	if p.building != "" {
		street = strings.TrimSpace(street + " " + p.building)
	}
	add(street)
	for _, l := range p.adrLines {
		add(l)
	}
	return b.String()
}

// account is a cash account: its identifier and, in statements, its owner
// and servicer.
type account struct {
	iban, other, name, ccy string
	owner                  party
	svcr                   agent
}

func (a *account) set(path []string, v string) {
	if len(path) == 0 {
		return
	}
	switch path[0] {
	case "Id":
		if len(path) == 2 && path[1] == "IBAN" {
			a.iban = strings.ReplaceAll(v, " ", "")
		} else if len(path) == 3 && path[1] == "Othr" && path[2] == "Id" {
			a.other = v
		}
	case "Nm":
		a.name = v
	case "Ccy":
		a.ccy = v
	case "Ownr":
		a.owner.set(path[1:], v)
	case "Svcr":
		a.svcr.set(path[1:], v)
	}
}

func (a *account) id() string {
	if a.iban != "" {
		return a.iban
	}
	return a.other
}

// agent is a financial institution (debtor's or creditor's agent).
type agent struct{ bic, member, name, country string }

func (g *agent) set(path []string, v string) {
	if len(path) < 2 || path[0] != "FinInstnId" {
		return
	}
	switch path[1] {
	case "BIC", "BICFI":
		g.bic = v
	case "Nm":
		g.name = v
	case "ClrSysMmbId":
		if len(path) == 3 && path[2] == "MmbId" {
			g.member = v
		}
	case "PstlAdr":
		if len(path) == 3 && path[2] == "Ctry" {
			g.country = v
		}
	}
}

func (g *agent) provider() string {
	switch {
	case g.bic != "":
		return g.bic
	case g.member != "":
		return g.member
	}
	return g.name
}

// txn collects the fields of one transaction, one statement entry, one
// payment information block or the group header, whichever it stands for.
type txn struct {
	line, col int

	msgID, e2e, txID, uetr, instr, acctRef, ntryRef string

	amt, amtCcy       string // camt TxDtls/Amt, Ntry/Amt, pain Amt/EqvtAmt/Amt
	amtDtls, dtlsCcy  string // camt AmtDtls/TxAmt/Amt
	instd, instdCcy   string // pacs InstdAmt, pain Amt/InstdAmt, camt AmtDtls/InstdAmt/Amt
	sttlm, sttlmCcy   string // pacs IntrBkSttlmAmt
	cdtDbt            string
	date, dtTm        string // settlement or requested execution date; acceptance time
	bookDt, bookDtTm  string
	valDt, valDtTm    string
	creDtTm           string
	dbtr, cdtr        party
	dbtrAcct, cdtrAcc account
	dbtrAgt, cdtrAgt  agent
	ustrd, strd       []string
	addtlTx, addtlNtr string
	purp              string
}

func (t *txn) set(path []string, v, ccy string) {
	if len(path) == 0 {
		return
	}
	switch path[0] {
	case "MsgId":
		t.msgID = v
	case "CreDtTm":
		t.creDtTm = v
	case "PmtId", "Refs":
		if len(path) < 2 {
			return
		}
		switch path[1] {
		case "EndToEndId":
			t.e2e = v
		case "TxId":
			t.txID = v
		case "UETR":
			t.uetr = v
		case "InstrId":
			t.instr = v
		case "AcctSvcrRef":
			t.acctRef = v
		}
	case "NtryRef":
		t.ntryRef = v
	case "AcctSvcrRef":
		if t.acctRef == "" {
			t.acctRef = v
		}
	case "IntrBkSttlmAmt":
		t.sttlm, t.sttlmCcy = v, ccy
	case "InstdAmt":
		t.instd, t.instdCcy = v, ccy
	case "Amt":
		switch {
		case len(path) == 1:
			t.amt, t.amtCcy = v, ccy
		case path[1] == "InstdAmt":
			t.instd, t.instdCcy = v, ccy
		case path[1] == "EqvtAmt" && len(path) == 3 && path[2] == "Amt":
			t.amt, t.amtCcy = v, ccy
		}
	case "AmtDtls":
		if len(path) == 3 && path[2] == "Amt" {
			switch path[1] {
			case "TxAmt":
				t.amtDtls, t.dtlsCcy = v, ccy
			case "InstdAmt":
				t.instd, t.instdCcy = v, ccy
			}
		}
	case "CdtDbtInd":
		t.cdtDbt = v
	case "IntrBkSttlmDt":
		t.date = v
	case "AccptncDtTm":
		t.dtTm = v
	case "SttlmTmIndctn":
		if t.dtTm == "" {
			t.dtTm = v
		}
	case "ReqdExctnDt":
		if len(path) == 1 || path[1] == "Dt" {
			t.date = v
		} else if path[1] == "DtTm" {
			t.dtTm = v
		}
	case "BookgDt":
		if len(path) == 2 && path[1] == "DtTm" {
			t.bookDtTm = v
		} else {
			t.bookDt = v
		}
	case "ValDt":
		if len(path) == 2 && path[1] == "DtTm" {
			t.valDtTm = v
		} else {
			t.valDt = v
		}
	case "RltdDts":
		if len(path) == 2 {
			switch path[1] {
			case "AccptncDtTm":
				t.dtTm = v
			case "IntrBkSttlmDt":
				t.date = v
			}
		}
	case "Dbtr":
		t.dbtr.set(path[1:], v)
	case "Cdtr":
		t.cdtr.set(path[1:], v)
	case "DbtrAcct":
		t.dbtrAcct.set(path[1:], v)
	case "CdtrAcct":
		t.cdtrAcc.set(path[1:], v)
	case "DbtrAgt":
		t.dbtrAgt.set(path[1:], v)
	case "CdtrAgt":
		t.cdtrAgt.set(path[1:], v)
	case "RltdPties", "RltdAgts":
		t.set(path[1:], v, ccy)
	case "RmtInf":
		if len(path) < 2 {
			return
		}
		if path[1] == "Ustrd" {
			t.ustrd = append(t.ustrd, v)
		} else if path[1] == "Strd" {
			last := path[len(path)-1]
			if last == "Ref" || last == "Nb" || last == "AddtlRmtInf" {
				t.strd = append(t.strd, v)
			}
		}
	case "AddtlTxInf":
		t.addtlTx = v
	case "AddtlNtryInf":
		t.addtlNtr = v
	case "Purp":
		t.purp = v
	}
}

// emit turns a finished transaction into records (the debtor party the first
// time it is seen, then the transfer) or a RecordError. entry is the camt
// statement entry the transaction belongs to, nil otherwise.
func (r *Reader) emit(t *txn, entry *txn) {
	r.seq++
	tx := *t
	switch r.msg.Type {
	case "pacs.008":
		fill(&tx.date, r.grp.date)
	case "pain.001":
		p := &r.pmt
		fillParty(&tx.dbtr, &p.dbtr)
		fillAccount(&tx.dbtrAcct, &p.dbtrAcct)
		fillAgent(&tx.dbtrAgt, &p.dbtrAgt)
		fill(&tx.date, p.date)
		fill(&tx.dtTm, p.dtTm)
	default:
		if entry != nil && entry != t {
			e := entry
			if tx.amt == "" && tx.amtDtls == "" && len(r.txs) == 1 {
				tx.amt, tx.amtCcy = e.amt, e.amtCcy
			}
			tx.cdtDbt = firstOf(e.cdtDbt, tx.cdtDbt) // the entry says how the account moved
			tx.bookDt, tx.bookDtTm, tx.valDt, tx.valDtTm = e.bookDt, e.bookDtTm, e.valDt, e.valDtTm
			fill(&tx.ntryRef, e.ntryRef)
			if tx.acctRef == "" {
				tx.acctRef = e.acctRef
			}
			fill(&tx.addtlNtr, e.addtlNtr)
		}
		// The statement's own account is the debtor's for a debit and the
		// creditor's for a credit.
		acct := &r.stmt.dbtrAcct
		switch tx.cdtDbt {
		case "DBIT":
			fillAccount(&tx.dbtrAcct, acct)
			fillParty(&tx.dbtr, &acct.owner)
			fill(&tx.dbtr.name, acct.name)
			fillAgent(&tx.dbtrAgt, &acct.svcr)
		case "CRDT":
			fillAccount(&tx.cdtrAcc, acct)
			fillParty(&tx.cdtr, &acct.owner)
			fill(&tx.cdtr.name, acct.name)
			fillAgent(&tx.cdtrAgt, &acct.svcr)
		default:
			r.reject(t, "the entry has no CdtDbtInd, so the direction of the payment is unknown")
			return
		}
	}
	r.build(&tx)
}

func (r *Reader) reject(t *txn, reason string) {
	r.recErrs = append(r.recErrs, &RecordError{File: r.name, Line: t.line, Column: t.col, Reason: r.msg.String() + ": " + reason})
	r.pending = append(r.pending, Record{})
}

func (r *Reader) build(t *txn) {
	// Amount: pacs.008 and pain.001 take what the customer ordered (the
	// instructed amount), else what was settled or its equivalent; camt takes
	// the booked amount of the transaction.
	var amt, ccy string
	switch r.msg.Type {
	case "pacs.008":
		amt, ccy = firstPair(t.instd, t.instdCcy, t.sttlm, t.sttlmCcy)
	case "pain.001":
		amt, ccy = firstPair(t.instd, t.instdCcy, t.amt, t.amtCcy)
	default:
		amt, ccy = firstPair(t.amt, t.amtCcy, t.amtDtls, t.dtlsCcy, t.instd, t.instdCcy)
	}
	if amt == "" && len(r.txs) > 1 {
		r.reject(t, fmt.Sprintf("the entry's %d transactions carry no amounts of their own, so the entry's amount cannot be split", len(r.txs)))
		return
	}
	if amt == "" {
		r.reject(t, "no amount for the transaction")
		return
	}
	a, reason := vigil.ParseAmount(amt)
	if reason != "" {
		r.reject(t, "amount "+strconv.Quote(amt)+": "+reason)
		return
	}
	if a == 0 {
		r.reject(t, "the amount is zero; vigil records only transfers of money")
		return
	}

	senderID := firstOf(t.dbtrAcct.id(), t.dbtr.idnum, t.dbtr.bic, t.dbtr.name)
	if senderID == "" {
		r.reject(t, "the debtor is not named (no account, identifier or name)")
		return
	}
	benName := firstOf(t.cdtr.name, t.cdtrAcc.owner.name, t.cdtrAcc.name, t.cdtrAcc.id())
	if benName == "" {
		r.reject(t, "the creditor is not named (no name or account)")
		return
	}
	country := firstValid(t.cdtr.country, t.cdtr.ctryRes, t.cdtrAcc.owner.country, ibanCountry(t.cdtrAcc.iban), bicCountry(t.cdtrAgt.bic), t.cdtrAgt.country)
	if country == "" {
		r.reject(t, "no country for the creditor (no address country, IBAN or creditor agent BIC)")
		return
	}
	ts, ok := firstTime(t.bookDtTm, t.bookDt, t.valDtTm, t.valDt, t.dtTm, t.date, r.stmt.creDtTm, r.grp.creDtTm)
	if !ok {
		r.reject(t, "no valid booking, settlement, execution or creation date")
		return
	}
	id := t.e2e
	if id == "" || strings.EqualFold(id, "NOTPROVIDED") {
		id = firstOf(t.uetr, t.txID, t.instr, t.acctRef, t.ntryRef)
	}
	if id == "" {
		id = firstOf(r.grp.msgID, r.name) + "/" + strconv.Itoa(r.seq)
	}
	purpose := strings.Join(t.ustrd, " ")
	if purpose == "" {
		purpose = strings.Join(t.strd, " ")
	}
	purpose = firstOf(purpose, t.addtlTx, t.addtlNtr, t.purp)
	src := r.name + ":" + strconv.Itoa(t.line)

	var newParty *vigil.Party
	if !r.seen[senderID] {
		d := &t.dbtr
		p := &vigil.Party{
			ID:       senderID,
			Kind:     vigil.PartyPerson,
			FullName: firstOf(d.name, t.dbtrAcct.owner.name, t.dbtrAcct.name, senderID),
			Country:  firstValid(d.ctryRes, d.country),
			City:     d.city,
			Address:  d.address(),
			Postcode: d.postcode,
			Phone:    d.phone,
			Email:    d.email,
			IDNumber: d.idnum,
			Source:   src,
		}
		if d.org {
			p.Kind = vigil.PartyOrganisation
		}
		if d.country != "" && !vigil.IsCountryCode(d.country) {
			// Keep a country the standard does not know (e.g. "UK") in the address.
			if p.Address != "" {
				p.Address += ", "
			}
			p.Address += d.country
		}
		if bd, reason := vigil.ParseDate(d.birth); reason == "" {
			p.BirthDate = bd
		}
		if err := p.Validate(); err != nil {
			r.reject(t, "debtor: "+vigil.ErrorMessage(err))
			return
		}
		newParty = p
	}
	tr := &vigil.Transfer{
		ID:                 id,
		Timestamp:          ts,
		SenderID:           senderID,
		SenderAccount:      t.dbtrAcct.id(),
		BeneficiaryName:    benName,
		BeneficiaryPhone:   t.cdtr.phone,
		BeneficiaryAccount: t.cdtrAcc.id(),
		BeneficiaryCity:    t.cdtr.city,
		BeneficiaryCountry: country,
		Amount:             a,
		Currency:           ccy,
		Channel:            vigil.ChannelBank,
		Provider:           t.dbtrAgt.provider(),
		Purpose:            purpose,
		Source:             src,
	}
	if bd, reason := vigil.ParseDate(t.cdtr.birth); reason == "" {
		tr.BeneficiaryBirthDate = bd
	}
	if err := tr.Validate(); err != nil {
		r.reject(t, vigil.ErrorMessage(err))
		return
	}
	if newParty != nil {
		r.seen[senderID] = true
		r.pending = append(r.pending, Record{Kind: KindParty, Party: newParty})
	}
	r.pending = append(r.pending, Record{Kind: KindTransfer, Transfer: tr})
}

func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func fillParty(dst, src *party) {
	if dst.name == "" && dst.idnum == "" && dst.bic == "" {
		*dst = *src
	}
}

func fillAccount(dst, src *account) {
	if dst.iban == "" && dst.other == "" {
		dst.iban, dst.other = src.iban, src.other
		fill(&dst.name, src.name)
		if dst.owner.name == "" {
			dst.owner = src.owner
		}
	}
}

func fillAgent(dst, src *agent) {
	if dst.bic == "" && dst.member == "" && dst.name == "" {
		*dst = *src
	}
}

func firstOf(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

func firstPair(v ...string) (string, string) {
	for i := 0; i+1 < len(v); i += 2 {
		if v[i] != "" {
			return v[i], v[i+1]
		}
	}
	return "", ""
}

func firstValid(v ...string) string {
	for _, s := range v {
		if vigil.IsCountryCode(s) {
			return s
		}
	}
	return ""
}

func ibanCountry(iban string) string {
	if len(iban) >= 4 {
		return iban[:2]
	}
	return ""
}

func bicCountry(bic string) string {
	if len(bic) == 8 || len(bic) == 11 {
		return bic[4:6]
	}
	return ""
}

// firstTime parses the first non-empty ISO date or date-time. A date-time
// without offset and a bare date are taken as UTC (the standard leaves the
// zone to the market practice); a date is midnight.
func firstTime(v ...string) (time.Time, bool) {
	for _, s := range v {
		if s == "" {
			continue
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02", "2006-01-02Z07:00"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}
