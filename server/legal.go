package server

import (
	"bytes"
	"html/template"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"langelis/i18n"
	"langelis/queue"
)

// The privacy notice (/privacy) and the accessibility statement
// (/accessibility, Directive (EU) 2016/2102): written here from the
// running office's settings (its name, retention periods and contact) in
// every visitor language, so they change when the office's settings do
// and never say what the office does not. The words are the area "legal"
// of the translations.

// legalPage is what the template shows.
type legalPage struct {
	Lang, Title, Office, Path string
	Langs                     []legalLang
	Sections                  []legalSection
	Contact                   *legalContact
	PrivacyLink, AccessLink   string
	PrivacyText, AccessText   string
	LangLabel                 string
}

type legalLang struct {
	Code, Name, Href string
	Current          bool
}

type legalSection struct {
	Heading string
	Paras   []string
	Items   []string
	Contact bool // the contact list follows the paragraphs
}

type legalContact struct {
	EmailLabel, PhoneLabel, AddressLabel string
	Email, Phone, Address                string
	None                                 string
}

var legalTemplate = template.Must(template.New("legal").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – {{.Office}}</title>
<link rel="stylesheet" href="/static/css/legal.css">
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="office">{{.Office}}</p>
<nav class="langs" aria-label="{{.LangLabel}}"><ul>
{{- range .Langs}}
<li><a href="{{.Href}}" lang="{{.Code}}" hreflang="{{.Code}}"{{if .Current}} aria-current="page"{{end}}>{{.Name}}</a></li>
{{- end}}
</ul></nav>
</header>
<main>
{{- range .Sections}}
{{if .Heading}}<h2>{{.Heading}}</h2>{{end}}
{{- range .Paras}}
<p>{{.}}</p>
{{- end}}
{{- if .Items}}
<ul>
{{- range .Items}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
{{- if and .Contact $.Contact}}{{with $.Contact}}
{{- if or .Email .Phone .Address}}
<dl class="contact">
{{- if .Email}}<dt>{{.EmailLabel}}</dt><dd><a href="mailto:{{.Email}}">{{.Email}}</a></dd>{{end}}
{{- if .Phone}}<dt>{{.PhoneLabel}}</dt><dd><a href="tel:{{.Phone}}">{{.Phone}}</a></dd>{{end}}
{{- if .Address}}<dt>{{.AddressLabel}}</dt><dd>{{.Address}}</dd>{{end}}
</dl>
{{- else}}
<p>{{.None}}</p>
{{- end}}{{end}}{{end}}
{{- end}}
</main>
<footer>
<a href="{{.PrivacyLink}}">{{.PrivacyText}}</a>
<a href="{{.AccessLink}}">{{.AccessText}}</a>
</footer>
</body>
</html>
`))

// handlePrivacy serves GET /privacy.
func (s *Server) handlePrivacy(c echo.Context) error {
	return s.legal(c, "/privacy", "legal.privacy.title", privacySections)
}

// handleAccessibility serves GET /accessibility.
func (s *Server) handleAccessibility(c echo.Context) error {
	return s.legal(c, "/accessibility", "legal.access.title", accessibilitySections)
}

func (s *Server) legal(c echo.Context, path, titleKey string, sections func(o *queue.Office, lang string) []legalSection) error {
	o := s.engine.Office()
	lang := s.language(c)
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	p := legalPage{Lang: lang, Title: t(titleKey), Office: officeName(o, lang), Path: path,
		Sections: sections(o, lang), LangLabel: t("legal.lang"),
		PrivacyLink: "/privacy?lang=" + lang, AccessLink: "/accessibility?lang=" + lang,
		PrivacyText: t("legal.privacy.title"), AccessText: t("legal.access.title"),
		Contact: &legalContact{EmailLabel: t("legal.contact.email"), PhoneLabel: t("legal.contact.phone"),
			AddressLabel: t("legal.contact.address"), Email: o.Contact.Email, Phone: o.Contact.Phone,
			Address: o.Contact.Address, None: t("legal.contact.none")}}
	// The office's languages, as on its other pages (and the one asked
	// for, when the person came with another).
	langs := o.Languages
	if !slices.Contains(langs, lang) {
		langs = append(slices.Clip(langs), lang)
	}
	for _, l := range langs {
		p.Langs = append(p.Langs, legalLang{Code: l, Name: i18n.T(l, "lang.name"), Href: path + "?lang=" + l, Current: l == lang})
	}
	var buf bytes.Buffer
	if err := legalTemplate.Execute(&buf, p); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	c.Response().Header().Set("Content-Language", lang)
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

// privacySections is the privacy notice: who keeps what, why, for how
// long (the office's retention settings), on what basis, and how to ask.
func privacySections(o *queue.Office, lang string) []legalSection {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	days := func(n int) string { return t("legal.days", "n", n) }
	audit := o.AuditRetentionDays
	if audit == 0 {
		audit = queue.DefaultAuditRetentionDays
	}
	feedbackDays := o.FeedbackRetentionDays
	if feedbackDays == 0 {
		feedbackDays = queue.DefaultFeedbackRetentionDays
	}
	rights := []string{t("legal.rights.text")}
	if o.Contact.DPO != "" {
		rights = append(rights, t("legal.rights.dpo", "dpo", o.Contact.DPO))
	}
	if o.Contact.Supervisor != "" {
		rights = append(rights, t("legal.rights.supervisor", "supervisor", nameAfter(lang, o.Contact.Supervisor)))
	}
	return []legalSection{
		{Paras: []string{t("legal.controller", "office", officeName(o, lang))}},
		{Heading: t("legal.kept.h"), Items: []string{t("legal.kept.ticket"), t("legal.kept.priority"), t("legal.kept.link"),
			t("legal.kept.booking"), t("legal.kept.feedback"), t("legal.kept.rating"),
			t("legal.kept.address"), t("legal.kept.staff")}},
		{Heading: t("legal.why.h"), Paras: []string{t("legal.why.text")}},
		{Heading: t("legal.long.h"), Items: []string{t("legal.long.tickets", "days", days(o.RetentionDays)),
			t("legal.long.audit", "days", days(audit)),
			// A booking lives as long as the journal; its contact is purged
			// the day after the visit (package booking). A complaint's text
			// and contact go feedback_retention_days after the answer; a
			// comment after service is part of the journal.
			t("legal.long.booking", "days", days(o.RetentionDays)),
			t("legal.long.feedback", "days", days(feedbackDays)),
			t("legal.long.rating", "days", days(o.RetentionDays)),
			t("legal.long.figures"), t("legal.long.backups")}},
		{Heading: t("legal.basis.h"), Paras: []string{t("legal.basis.task"), t("legal.basis.priority")}},
		{Heading: t("legal.rights.h"), Paras: rights},
		{Heading: t("legal.contact.h"), Contact: true},
	}
}

// accessibilitySections is the accessibility statement as the directive's
// model asks: the status, what is not accessible, the kiosk's voice, how
// it was prepared, feedback and contact, the enforcement procedure.
func accessibilitySections(o *queue.Office, lang string) []legalSection {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	prepared := []string{t("legal.a11y.prepared.text")}
	if o.Contact.Reviewed != "" {
		prepared = append(prepared, t("legal.a11y.reviewed", "date", dayText(lang, o.Contact.Reviewed)))
	}
	enforcement := t("legal.a11y.enforcement.none")
	if o.Contact.Enforcement != "" {
		enforcement = t("legal.a11y.enforcement.text", "body", nameAfter(lang, o.Contact.Enforcement))
	}
	return []legalSection{
		{Paras: []string{t("legal.a11y.intro", "office", officeName(o, lang))}},
		{Heading: t("legal.a11y.status.h"), Paras: []string{t("legal.a11y.status.text")}},
		{Heading: t("legal.a11y.gaps.h"), Items: []string{t("legal.a11y.gap.pdf"), t("legal.a11y.gap.sound")}},
		// The kiosk's voice mode (docs/voice.md): how a visitor who cannot
		// see the screen starts it and which keys it answers.
		{Heading: t("legal.a11y.voice.h"), Paras: []string{t("legal.a11y.voice.text"), t("legal.a11y.voice.keys")}},
		{Heading: t("legal.a11y.prepared.h"), Paras: prepared},
		{Heading: t("legal.a11y.feedback.h"), Paras: []string{t("legal.a11y.feedback.text")}, Contact: true},
		{Heading: t("legal.a11y.enforcement.h"), Paras: []string{enforcement}},
	}
}
