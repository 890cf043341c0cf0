package register

import (
	"fmt"
	"io"
)

// WriteCheck writes the findings of r.Check() as a report for people, in
// lang ("en", or French for anything else), errors first. It returns the
// number of errors: `dsar register check` exits non-zero when it is not
// zero. Warnings (the register's own inconsistencies) are reported but do
// not count.
func WriteCheck(w io.Writer, r *Register, lang string) (problems int, err error) {
	findings := r.Check()
	var errs, warns []Finding
	for _, f := range findings {
		if f.Severity == SeverityError {
			errs = append(errs, f)
		} else {
			warns = append(warns, f)
		}
	}
	p := &printer{w: w}
	p.printf(tr(lang, "Registre des activités de traitement de %s : %s, %s, %s.\n",
		"%s register of processing activities: %s, %s, %s.\n"),
		r.Organisation.Name,
		count(lang, len(r.Activities), "activité", "activités", "activity", "activities"),
		count(lang, len(errs), "erreur", "erreurs", "error", "errors"),
		count(lang, len(warns), "avertissement", "avertissements", "warning", "warnings"))
	for _, f := range append(errs, warns...) {
		p.printf("\n%s  %s  %s\n    %s\n", severityLabel(lang, f.Severity), where(r, lang, f.Activity), f.Field, f.Message.In(lang))
	}
	p.printf("\n%s\n", tr(lang,
		"Les erreurs empêchent d'utiliser le registre (orientation des demandes, durées de conservation, information des personnes) : corrigez le fichier du registre. Les avertissements sont des incohérences du registre lui-même, recopiées telles quelles : c'est au DPO de VRACOOP de les corriger dans le registre, puis dans le fichier.",
		"Errors prevent using the register (routing requests, retention, information for people): correct the register file. Warnings are inconsistencies of the register itself, copied as they are: VRACOOP's DPO must correct them in the register, then in the file."))
	return len(errs), p.err
}

// printer writes until the first error, which it keeps.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func severityLabel(lang, severity string) string {
	if severity == SeverityError {
		return tr(lang, "ERREUR", "ERROR")
	}
	return tr(lang, "avertissement", "warning")
}

// where names the activity a finding is about.
func where(r *Register, lang, id string) string {
	if id == "" {
		return tr(lang, "registre", "register")
	}
	if a, ok := r.Activity(id); ok && a.Number > 0 {
		return fmt.Sprintf(tr(lang, "activité %d (%s)", "activity %d (%s)"), a.Number, id)
	}
	return fmt.Sprintf(tr(lang, "activité %s", "activity %s"), id)
}

func count(lang string, n int, oneFR, manyFR, oneEN, manyEN string) string {
	if lang == "en" {
		if n == 1 {
			return "1 " + oneEN
		}
		return fmt.Sprintf("%d %s", n, manyEN)
	}
	if n <= 1 { // French: 0 erreur, 1 erreur, 2 erreurs
		return fmt.Sprintf("%d %s", n, oneFR)
	}
	return fmt.Sprintf("%d %s", n, manyFR)
}
