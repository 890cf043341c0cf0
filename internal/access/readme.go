package access

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
)

// The words of the plain-text note on the package's files.
var (
	txtReadmeIntro = dsar.Text{
		FR: "Ce dossier contient la copie des données personnelles vous concernant, en réponse à votre demande.",
		EN: "This folder holds the copy of the personal data about you, in answer to your request."}
	txtReadmeReport = dsar.Text{
		FR: "À ouvrir avec votre navigateur. Il commence par les informations que l'article 15 du RGPD vous permet de connaître (finalités, destinataires, durées de conservation, vos droits), puis présente vos données, enregistrement par enregistrement, et ce que notre portail conserve sur votre demande.",
		EN: "Open it with your web browser. It begins with the information Article 15 of the GDPR entitles you to (purposes, recipients, retention periods, your rights), then shows your data, record by record, and what our portal keeps about your request."}
	txtReadmeJSON = dsar.Text{
		FR: "Les mêmes données dans un format structuré et lisible par machine (JSON, format « %s »), pour les réutiliser ou les transmettre à un autre service (droit à la portabilité, article 20 du RGPD).",
		EN: "The same data in a structured, machine-readable format (JSON, format \"%s\"), to reuse them or pass them to another service (right to data portability, Article 20 of the GDPR)."}
	txtReadmeCSV = dsar.Text{
		FR: "Un tableau par type d'enregistrement (fichiers CSV en UTF-8, séparés par des virgules), à ouvrir avec un tableur. Une valeur qui commence par = + - ou @ y est précédée d'une apostrophe, pour qu'un tableur ne la prenne pas pour une formule.",
		EN: "One table per kind of record (CSV files in UTF-8, comma separated), to open with a spreadsheet. A value that starts with = + - or @ is preceded by an apostrophe there, so that a spreadsheet does not take it for a formula."}
	txtReadmeQuestions = dsar.Text{
		FR: "Pour toute question, répondez au message qui accompagnait ce fichier en rappelant la référence %s.",
		EN: "For any question, reply to the message that came with this file, quoting the reference %s."}
)

// readmeWidth is where the note's lines are wrapped, for editors that do
// not wrap them.
const readmeWidth = 72

// writeReadme writes the plain-text note that explains the files.
func writeReadme(w io.Writer, c *content, withCSV bool) error {
	l, ref := c.lang, c.in.Request.Ref
	var b strings.Builder
	para := func(indent, s string) {
		b.WriteString(wrap(s, readmeWidth, indent))
		b.WriteString("\n\n")
	}
	title := say(l, txtReportTitle)
	if ref != "" {
		title += " – " + ref
	}
	b.WriteString(title + "\n" + strings.Repeat("=", utf8.RuneCountInString(title)) + "\n\n")
	para("", fmt.Sprintf(say(l, txtGeneratedOn), i18n.FormatDate(i18n.Lang(l), dsar.DateOf(c.in.Now))))
	para("", say(l, txtReadmeIntro))
	b.WriteString(fileReport.In(l) + "\n")
	para("    ", say(l, txtReadmeReport))
	b.WriteString(fileJSON.In(l) + "\n")
	para("    ", fmt.Sprintf(say(l, txtReadmeJSON), FormatVersion))
	if withCSV {
		b.WriteString(csvDir + "/\n")
		para("    ", say(l, txtReadmeCSV))
	}
	para("", say(l, txtDataLeftOut))
	b.WriteString(wrap(fmt.Sprintf(say(l, txtReadmeQuestions), ref), readmeWidth, "") + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// wrap breaks s into lines of at most width runes, each starting with
// indent. A word longer than a line stands alone on its line. Only
// ordinary spaces break: the non-breaking ones of French typography hold.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Split(s, " ") {
		n := utf8.RuneCountInString(word)
		switch {
		case i == 0:
			b.WriteString(indent)
			line = utf8.RuneCountInString(indent)
		case line+1+n > width:
			b.WriteString("\n" + indent)
			line = utf8.RuneCountInString(indent)
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += n
	}
	return b.String()
}
