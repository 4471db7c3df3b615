package server

import (
	"encoding/json"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"langelis/queue"
)

// ctxLang is the echo context key of the language a request's JSON body
// named in its "lang" field (decode sets it).
const ctxLang = "langelis.lang"

// matcher matches an Accept-Language header against the languages
// Langelis has texts in.
var matcher = func() language.Matcher {
	tags := make([]language.Tag, len(queue.Languages))
	for i, l := range queue.Languages {
		tags[i] = language.Make(l)
	}
	return language.NewMatcher(tags)
}()

// language is the language to answer the person behind a request in: the
// request's own "lang" (in its JSON body, else its query), else the best
// match of its Accept-Language header, else the office's first language.
// A page sends Accept-Language with the language its person chose.
func (s *Server) language(c echo.Context) string {
	if l, _ := c.Get(ctxLang).(string); queue.ValidLanguage(l) {
		return l
	}
	if l := c.QueryParam("lang"); queue.ValidLanguage(l) {
		return l
	}
	if h := c.Request().Header.Get("Accept-Language"); h != "" {
		prefs, _, err := language.ParseAcceptLanguage(h)
		if err == nil && len(prefs) > 0 {
			if _, i, conf := matcher.Match(prefs...); conf != language.No {
				return queue.Languages[i]
			}
		}
	}
	return s.engine.Office().FirstLanguage()
}

// noteBodyLang remembers the "lang" of a JSON body, read leniently so that
// a body the strict decoder refuses is still answered in its language.
func noteBodyLang(c echo.Context, data []byte) {
	var b struct {
		Lang string `json:"lang"`
	}
	if json.Unmarshal(data, &b) == nil && queue.ValidLanguage(b.Lang) {
		c.Set(ctxLang, b.Lang)
	}
}
