package dossier

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigilfiu/vigil"
)

// browsers are the executables PDF looks for, Debian's first.
var browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Browser returns the path of the headless browser PDF uses, or an
// ENOTIMPLEMENTED error saying how to get one.
func Browser() (string, error) {
	for _, name := range browsers {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", vigil.Errorf(vigil.ENOTIMPLEMENTED, "a PDF dossier needs chromium, which is not installed (Debian: apt-get install chromium); the HTML dossier needs nothing and prints from any browser")
}

// PDF prints an HTML dossier (as written by WriteHTML) to A4 PDF with
// headless chromium. The page is loaded from a private temporary file with
// networking off, so nothing outside the document is fetched. Without
// chromium it returns ENOTIMPLEMENTED.
func PDF(ctx context.Context, html []byte) ([]byte, error) {
	exe, err := Browser()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "vigil-dossier-")
	if err != nil {
		return nil, vigil.Errorf(vigil.EINTERNAL, "cannot make a temporary directory for the PDF: %v", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "dossier.html")
	if err := os.WriteFile(file, html, 0o600); err != nil {
		return nil, vigil.Errorf(vigil.EINTERNAL, "cannot write the dossier for printing: %v", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		// Nothing in a dossier needs the network: refuse every host.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
	}
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelA()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first Run starts the browser and must not carry a timeout; the
	// print itself is bounded.
	if err := chromedp.Do(bctx); err != nil {
		return nil, vigil.Errorf(vigil.EINTERNAL, "cannot start chromium (%s): %v", exe, err)
	}
	pctx, cancelP := context.WithTimeout(bctx, 2*time.Minute)
	defer cancelP()
	u := url.URL{Scheme: "file", Path: file}
	if err := chromedp.Do(pctx, chromedp.Navigate(u.String())); err != nil {
		return nil, vigil.Errorf(vigil.EINTERNAL, "chromium could not load the dossier: %v", err)
	}
	pdf, err := chromedp.Run(pctx, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFPrintBackground(),
		chromedp.PDFMargin(0.4),
	))
	if err != nil {
		return nil, vigil.Errorf(vigil.EINTERNAL, "chromium could not print the dossier: %v", err)
	}
	return pdf, nil
}
