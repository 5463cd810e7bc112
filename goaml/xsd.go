package goaml

import (
	"context"
	"errors"
	"os/exec"
	"strings"

	"github.com/vigilfiu/vigil"
)

// ValidateXSD checks the XML file against the XSD with xmllint (Debian's
// libxml2-utils), without network access. It returns ENOTIMPLEMENTED when
// xmllint is not installed and an EINVALID error quoting xmllint's findings
// (file:line: element: reason) when the file is not valid.
func ValidateXSD(ctx context.Context, file, xsd string) error {
	lint, err := exec.LookPath("xmllint")
	if err != nil {
		return vigil.Errorf(vigil.ENOTIMPLEMENTED, "xmllint is not installed (Debian: apt-get install libxml2-utils); cannot validate %s against %s", file, xsd)
	}
	out, err := exec.CommandContext(ctx, lint, "--noout", "--nonet", "--schema", xsd, file).CombinedOutput()
	if err == nil {
		return nil
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return vigil.Errorf(vigil.EINTERNAL, "running xmllint: %v", err)
	}
	msg := strings.TrimSpace(string(out))
	lines := strings.Split(msg, "\n")
	if len(lines) > 21 {
		lines = append(lines[:20], "…")
	}
	return vigil.Errorf(vigil.EINVALID, "%s is not valid against %s:\n%s", file, xsd, strings.Join(lines, "\n"))
}
