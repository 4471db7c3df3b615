package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/office"
	"langelis/queue"
	"langelis/wire"
)

// The configuration on the admin pages (/admin): services, desks, hours
// and rules, changed while the hall works. Every handler here turns the
// request into a queue.Edit and hands it to the engine's Reconfigure,
// which validates the result with the office file's validator, checks it
// against the queue and records it; the answer is the recorded
// queue.Change, whose Effective says when it takes effect.

// adminOnly guards every /api/v1/admin/... route of the manager's side.
func (s *Server) adminOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, err := s.requireRole(c, queue.RoleAdmin); err != nil {
			return err
		}
		return next(c)
	}
}

// reconfigure runs edit as the signed-in admin and answers the change.
func (s *Server) reconfigure(c echo.Context, edit queue.Edit) error {
	u, err := s.requireRole(c, queue.RoleAdmin)
	if err != nil {
		return err
	}
	ch, err := s.engine.Reconfigure(c.Request().Context(), u.Username, edit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ch)
}

// serviceOf is the service an admin's body describes.
func serviceOf(b wire.ServiceBody) queue.Service {
	names := map[string]string{}
	for l, n := range b.Names {
		if n = strings.TrimSpace(n); n != "" {
			names[l] = n
		}
	}
	svc := queue.Service{Letter: strings.TrimSpace(b.Letter), Names: names, TargetMinutes: b.TargetMinutes,
		DailyCap: b.DailyCap, Colour: strings.TrimSpace(b.Colour)}
	if b.TargetWaitMinutes != nil {
		svc.TargetWaitMinutes = *b.TargetWaitMinutes
	}
	return svc
}

// handleAddService serves POST /api/v1/admin/services. A retired
// service's letter brings it back.
func (s *Server) handleAddService(c echo.Context) error {
	var b wire.ServiceBody
	if err := decode(c, &b); err != nil {
		return err
	}
	svc := serviceOf(b)
	return s.reconfigure(c, func(o *queue.Office) (queue.Change, error) {
		o.RetiredServices = slices.DeleteFunc(o.RetiredServices, func(r queue.Service) bool { return r.Letter == svc.Letter })
		o.Services = append(o.Services, svc)
		return queue.Change{Kind: "service.added", Subject: "service " + svc.Letter, New: queue.ChangeJSON(svc)}, nil
	})
}

// handleChangeService serves PUT /api/v1/admin/services/:letter: names,
// target minutes, target wait, daily cap and colour; the letter stays (and
// a target wait left out stays as it was).
func (s *Server) handleChangeService(c echo.Context) error {
	var b wire.ServiceBody
	if err := decode(c, &b); err != nil {
		return err
	}
	letter := c.Param("letter")
	svc := serviceOf(b)
	svc.Letter = letter
	return s.reconfigure(c, func(o *queue.Office) (queue.Change, error) {
		i := slices.IndexFunc(o.Services, func(x queue.Service) bool { return x.Letter == letter })
		if i < 0 {
			return queue.Change{}, queue.E(queue.ENOTFOUND, "err.service.unknown", "service", queue.Clip(letter))
		}
		old := o.Services[i]
		if b.TargetWaitMinutes == nil {
			svc.TargetWaitMinutes = old.TargetWaitMinutes
		}
		// The service form does not carry the booking settings (the office
		// file does): a change made there keeps them.
		svc.Booking = old.Booking
		o.Services[i] = svc
		return queue.Change{Kind: "service.changed", Subject: "service " + letter, Old: queue.ChangeJSON(old), New: queue.ChangeJSON(svc)}, nil
	})
}

// handleRetireService serves POST /api/v1/admin/services/:letter/retire:
// the service is no longer offered and no desk serves it; its history
// keeps its names (Office.RetiredServices).
func (s *Server) handleRetireService(c echo.Context) error {
	letter := c.Param("letter")
	return s.reconfigure(c, func(o *queue.Office) (queue.Change, error) {
		i := slices.IndexFunc(o.Services, func(x queue.Service) bool { return x.Letter == letter })
		if i < 0 {
			return queue.Change{}, queue.E(queue.ENOTFOUND, "err.service.unknown", "service", queue.Clip(letter))
		}
		old := o.Services[i]
		o.Services = slices.Delete(o.Services, i, i+1)
		o.RetiredServices = append(o.RetiredServices, old)
		for j := range o.Desks {
			o.Desks[j].Services = slices.DeleteFunc(o.Desks[j].Services, func(l string) bool { return l == letter })
		}
		return queue.Change{Kind: "service.retired", Subject: "service " + letter, Old: queue.ChangeJSON(old)}, nil
	})
}

// handleAddDesk serves POST /api/v1/admin/desks.
func (s *Server) handleAddDesk(c echo.Context) error {
	var b wire.DeskBody
	if err := decode(c, &b); err != nil {
		return err
	}
	d := queue.DeskDef{Number: b.Number, Services: b.Services}
	return s.reconfigure(c, func(o *queue.Office) (queue.Change, error) {
		o.RetiredDesks = slices.DeleteFunc(o.RetiredDesks, func(n int) bool { return n == d.Number })
		o.Desks = append(o.Desks, d)
		return queue.Change{Kind: "desk.added", Subject: fmt.Sprintf("desk %d", d.Number), New: queue.ChangeJSON(d)}, nil
	})
}

// adminDeskParam reads :desk.
func adminDeskParam(c echo.Context) (int, error) {
	n, err := strconv.Atoi(c.Param("desk"))
	if err != nil {
		return 0, queue.E(queue.ENOTFOUND, "err.desk.unknown", "desk", queue.Clip(c.Param("desk")))
	}
	return n, nil
}

// handleChangeDesk serves PUT /api/v1/admin/desks/:desk: the services it
// serves, at once (an open desk calls by them from its next call).
func (s *Server) handleChangeDesk(c echo.Context) error {
	var b wire.DeskBody
	if err := decode(c, &b); err != nil {
		return err
	}
	n, err := adminDeskParam(c)
	if err != nil {
		return err
	}
	return s.reconfigure(c, func(o *queue.Office) (queue.Change, error) {
		i := slices.IndexFunc(o.Desks, func(d queue.DeskDef) bool { return d.Number == n })
		if i < 0 {
			return queue.Change{}, queue.E(queue.ENOTFOUND, "err.desk.unknown", "desk", n)
		}
		old := o.Desks[i]
		o.Desks[i] = queue.DeskDef{Number: n, Services: b.Services}
		return queue.Change{Kind: "desk.changed", Subject: fmt.Sprintf("desk %d", n), Old: queue.ChangeJSON(old), New: queue.ChangeJSON(o.Desks[i])}, nil
	})
}

// handleRetireDesk serves POST /api/v1/admin/desks/:desk/retire; an open
// desk is refused by the engine.
func (s *Server) handleRetireDesk(c echo.Context) error {
	n, err := adminDeskParam(c)
	if err != nil {
		return err
	}
	return s.reconfigure(c, func(o *queue.Office) (queue.Change, error) {
		i := slices.IndexFunc(o.Desks, func(d queue.DeskDef) bool { return d.Number == n })
		if i < 0 {
			return queue.Change{}, queue.E(queue.ENOTFOUND, "err.desk.unknown", "desk", n)
		}
		old := o.Desks[i]
		o.Desks = slices.Delete(o.Desks, i, i+1)
		o.RetiredDesks = append(o.RetiredDesks, n)
		return queue.Change{Kind: "desk.retired", Subject: fmt.Sprintf("desk %d", n), Old: queue.ChangeJSON(old)}, nil
	})
}

// weekdayNames are the office file's names of the week's days, by
// time.Weekday.
var weekdayNames = [7]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// spansOf parses a day's hours as the office file does, with its message;
// day names the day in it (office.DayWord, or the date).
func spansOf(day any, text string) ([]queue.Span, error) {
	spans, err := queue.ParseSpans(text)
	var se *queue.SpanError
	if errors.As(err, &se) {
		return nil, queue.E(queue.EINVALID, "err.config.invalid", "why", queue.E(queue.EINVALID, "err.office.hours", "day", day, "why", se))
	}
	return spans, err
}

func weekText(w [7][]queue.Span) map[string]string {
	out := map[string]string{}
	for d, spans := range w {
		out[weekdayNames[d]] = spansText(spans)
	}
	return out
}

func spansText(spans []queue.Span) string {
	if len(spans) == 0 {
		return "closed"
	}
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}

// handleSetWeek serves PUT /api/v1/admin/hours: {"week": {"monday":
// "08:00-17:00", ...}}, every day given ("closed" for none). It takes
// effect tomorrow (the engine keeps today's hours).
func (s *Server) handleSetWeek(c echo.Context) error {
	var b wire.WeekBody
	if err := decode(c, &b); err != nil {
		return err
	}
	var week [7][]queue.Span
	for d, name := range weekdayNames {
		spans, err := spansOf(office.DayWord(time.Weekday(d)), b.Week[name])
		if err != nil {
			return err
		}
		week[d] = spans
	}
	return s.reconfigure(c, func(o *queue.Office) (queue.Change, error) {
		old := weekText(o.Hours.Week)
		o.Hours.Week = week
		return queue.Change{Kind: "hours.changed", Subject: "hours", Old: queue.ChangeJSON(old), New: queue.ChangeJSON(weekText(week))}, nil
	})
}

// handleAddHoliday serves POST /api/v1/admin/holidays {"date"}.
func (s *Server) handleAddHoliday(c echo.Context) error {
	var b wire.DayBody
	if err := decode(c, &b); err != nil {
		return err
	}
	date := strings.TrimSpace(b.Date)
	return s.reconfigure(c, func(o *queue.Office) (queue.Change, error) {
		if o.Hours.Holidays == nil {
			o.Hours.Holidays = map[string]bool{}
		}
		o.Hours.Holidays[date] = true
		return queue.Change{Kind: "holiday.added", Subject: "holiday " + date, New: queue.ChangeJSON(date)}, nil
	})
}

// handleRemoveHoliday serves DELETE /api/v1/admin/holidays/:date.
func (s *Server) handleRemoveHoliday(c echo.Context) error {
	date := c.Param("date")
	return s.reconfigure(c, func(o *queue.Office) (queue.Change, error) {
		if !o.Hours.Holidays[date] {
			return queue.Change{}, queue.E(queue.ENOTFOUND, "err.config.no_holiday", "date", queue.Clip(date))
		}
		delete(o.Hours.Holidays, date)
		return queue.Change{Kind: "holiday.removed", Subject: "holiday " + date, Old: queue.ChangeJSON(date)}, nil
	})
}

// handleSetException serves PUT /api/v1/admin/exceptions {"date",
// "hours"}: one day's own hours ("closed" closes it), at once.
func (s *Server) handleSetException(c echo.Context) error {
	var b wire.DayBody
	if err := decode(c, &b); err != nil {
		return err
	}
	date := strings.TrimSpace(b.Date)
	spans, err := spansOf(date, b.Hours)
	if err != nil {
		return err
	}
	return s.reconfigure(c, func(o *queue.Office) (queue.Change, error) {
		var old any
		if ex, ok := o.Hours.Exceptions[date]; ok {
			old = spansText(ex)
		}
		if o.Hours.Exceptions == nil {
			o.Hours.Exceptions = map[string][]queue.Span{}
		}
		o.Hours.Exceptions[date] = spans
		return queue.Change{Kind: "exception.set", Subject: "exception " + date, Old: queue.ChangeJSON(old), New: queue.ChangeJSON(spansText(spans))}, nil
	})
}

// handleRemoveException serves DELETE /api/v1/admin/exceptions/:date.
func (s *Server) handleRemoveException(c echo.Context) error {
	date := c.Param("date")
	return s.reconfigure(c, func(o *queue.Office) (queue.Change, error) {
		ex, ok := o.Hours.Exceptions[date]
		if !ok {
			return queue.Change{}, queue.E(queue.ENOTFOUND, "err.config.no_exception", "date", queue.Clip(date))
		}
		delete(o.Hours.Exceptions, date)
		return queue.Change{Kind: "exception.removed", Subject: "exception " + date, Old: queue.ChangeJSON(spansText(ex))}, nil
	})
}

func rulesOf(o *queue.Office) wire.Rules {
	return wire.Rules{Priority: o.Priority, RecallLimit: o.RecallLimit, NoticeMinutes: o.NoticeMinutes, DayEndMinutes: o.DayEndMinutes,
		BeyondCutoff: o.BeyondCutoff, RetentionDays: o.RetentionDays, AuditRetentionDays: o.AuditRetentionDays,
		Languages: slices.Clone(o.Languages)}
}

// handleSetRules serves PUT /api/v1/admin/rules: the call-order policy
// and its numbers, the end of day, recalls, retention, languages.
func (s *Server) handleSetRules(c echo.Context) error {
	var b wire.Rules
	if err := decode(c, &b); err != nil {
		return err
	}
	b.Lang = ""
	return s.reconfigure(c, func(o *queue.Office) (queue.Change, error) {
		old := rulesOf(o)
		o.Priority, o.RecallLimit, o.NoticeMinutes, o.DayEndMinutes = b.Priority, b.RecallLimit, b.NoticeMinutes, b.DayEndMinutes
		o.BeyondCutoff, o.RetentionDays, o.AuditRetentionDays = b.BeyondCutoff, b.RetentionDays, b.AuditRetentionDays
		if len(b.Languages) > 0 {
			o.Languages, o.SecondLanguage = b.Languages, ""
		}
		return queue.Change{Kind: "rules.changed", Subject: "rules", Old: queue.ChangeJSON(old), New: queue.ChangeJSON(rulesOf(o))}, nil
	})
}

// CalendarDay is what the kiosk will do on one day of the calendar.
type CalendarDay struct {
	Date string `json:"date"`
	// Source says where the day's hours come from: "week", "holiday" or
	// "exception".
	Source string `json:"source"`
	Hours  string `json:"hours"` // "08:00-12:00, 12:45-17:00", or "closed"
	// Issues is when the kiosk issues tickets: the opening hours (it
	// may stop earlier on the day itself, past the cutoff).
	Open bool `json:"open"`
}

// calendar is the next days from the office day of now.
func calendar(o *queue.Office, now time.Time, days int) []CalendarDay {
	loc := o.Location()
	lt := now.In(loc)
	out := make([]CalendarDay, 0, days)
	for i := 0; i < days; i++ {
		noon := time.Date(lt.Year(), lt.Month(), lt.Day()+i, 12, 0, 0, 0, loc)
		date := noon.Format(time.DateOnly)
		d := CalendarDay{Date: date, Source: "week"}
		var spans []queue.Span
		if ex, ok := o.Hours.Exceptions[date]; ok {
			d.Source, spans = "exception", ex
		} else if o.Hours.Holidays[date] {
			d.Source = "holiday"
		} else {
			spans = o.Hours.Week[noon.Weekday()]
		}
		d.Hours, d.Open = spansText(spans), len(spans) > 0
		out = append(out, d)
	}
	return out
}

// ConfigView is GET /api/v1/admin/config: the running configuration, the
// office file's, how they differ, and the calendar of the next 8 weeks.
type ConfigView struct {
	Running  *queue.Office     `json:"running"`
	Week     map[string]string `json:"week"` // the running week as the Hours form edits it
	Rules    wire.Rules        `json:"rules"`
	Differs  bool              `json:"differs"`
	Diff     []DiffLine        `json:"diff"`
	Calendar []CalendarDay     `json:"calendar"`
	Today    string            `json:"today"`
}

// calendarDays is the calendar's length: 8 weeks.
const calendarDays = 56

// handleConfig serves GET /api/v1/admin/config.
func (s *Server) handleConfig(c echo.Context) error {
	o := s.engine.Office()
	now := s.clock.Now()
	file := s.cfg.File
	if file == nil {
		file = o
	}
	diff := diffLines(office.Export(file, ""), office.Export(o, ""))
	return c.JSON(http.StatusOK, ConfigView{Running: o, Week: weekText(o.Hours.Week), Rules: rulesOf(o), Differs: len(diff) > 0,
		Diff: diff, Calendar: calendar(o, now, calendarDays), Today: o.Day(now)})
}

// handleExportConfig serves GET /api/v1/admin/config.yaml: the running
// configuration as an office file, to keep in git or start a server with.
// It is the one export: the admin page links to it and `langelis config
// show` and `export` read it while the server runs.
func (s *Server) handleExportConfig(c echo.Context) error {
	actor, err := s.adminActor(c)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	header := fmt.Sprintf("Exported from the running configuration on %s by %s.", now.In(s.engine.Office().Location()).Format("2006-01-02 15:04"), actor)
	c.Response().Header().Set("Content-Disposition", `attachment; filename="office.yaml"`)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", office.Export(s.engine.Office(), header))
}
