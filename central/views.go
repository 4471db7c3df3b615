package central

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/city"
	"langelis/queue"
)

// PublicHall is one hall on the residents' page: its current wait per
// service, whether it still issues today, and where to take a ticket.
type PublicHall struct {
	ID      string            `json:"id"`
	Name    string            `json:"name"`
	Names   map[string]string `json:"names,omitempty"`
	TakeURL string            `json:"take_url,omitempty"`
	Open    bool              `json:"open"`
	Hours   string            `json:"hours,omitempty"`
	// Live says the hall's figures are fresh: a hall cut off from the
	// centre still serves, but its figures here are old.
	Live     bool            `json:"live"`
	AsOf     time.Time       `json:"as_of"`
	Services []PublicService `json:"services"`
}

// PublicService is one service of a hall for residents.
type PublicService struct {
	Letter        string            `json:"letter"`
	Names         map[string]string `json:"names"`
	Waiting       int               `json:"waiting"`
	EstimatedWait int64             `json:"estimated_wait_s"` // -1: no estimate (no desk open)
	Issuing       bool              `json:"issuing"`          // a ticket taken now is still served today
	Action        string            `json:"action"`
}

// handleHalls serves GET /api/v1/halls: every hall's wait, for anyone.
func (c *Central) handleHalls(ec echo.Context) error {
	c.mu.Lock()
	var out []PublicHall
	now := time.Now()
	for _, h := range c.statuses {
		ph := PublicHall{ID: h.Hall, Name: h.Name, Names: h.Names, Open: h.Open, Hours: h.Hours,
			Live: now.Sub(h.at) < c.cfg.StaleAfter, AsOf: h.at.UTC()}
		if h.URL != "" {
			ph.TakeURL = strings.TrimRight(h.URL, "/") + "/take"
		}
		for _, s := range h.Services {
			ph.Services = append(ph.Services, PublicService{Letter: s.Letter, Names: s.Names, Waiting: s.Waiting,
				EstimatedWait: s.EstimatedWait, Issuing: s.Issuing && ph.Live, Action: s.Action})
		}
		out = append(out, ph)
	}
	c.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	ec.Response().Header().Set("Cache-Control", "no-cache")
	return ec.JSON(http.StatusOK, map[string]any{"halls": out})
}

// CityHall is one hall in the staff's city view.
type CityHall struct {
	ID    string            `json:"id"`
	Name  string            `json:"name"`
	Names map[string]string `json:"names,omitempty"`
	URL   string            `json:"url,omitempty"`

	// Link is "up" (a status within StaleAfter), "down" (heard before,
	// not lately) or "never".
	Link      string    `json:"link"`
	LastHeard time.Time `json:"last_heard,omitzero"`
	// Backlog is the hall's own count of events the centre has not
	// acknowledged, and the age of the oldest (seconds), as of its last
	// status; Behind is what the centre lacks of the hall's journal by
	// that status.
	Backlog    uint64 `json:"backlog"`
	BacklogAge int64  `json:"backlog_age_s"`
	Behind     uint64 `json:"behind"`
	Held       uint64 `json:"held"` // the last seq the centre holds
	Epoch      string `json:"epoch,omitempty"`
	Missed     uint64 `json:"missed"` // events the hall purged before they reached the centre

	Open      bool                 `json:"open"`
	Hours     string               `json:"hours,omitempty"`
	DesksOpen int                  `json:"desks_open"`
	Desks     int                  `json:"desks"`
	Cutoff    *queue.Cutoff        `json:"cutoff,omitempty"`
	Services  []city.ServiceStatus `json:"services"`
	Waiting   int                  `json:"waiting"`
	Longest   int64                `json:"longest_wait_s"`

	Day   string  `json:"day,omitempty"`
	Today Figures `json:"today"`
	Month Figures `json:"month"`
}

// handleCity serves GET /api/v1/city: every hall for the city's staff.
func (c *Central) handleCity(ec echo.Context) error {
	recs, err := c.Store.Halls()
	if err != nil {
		return err
	}
	byID := map[string]HallRecord{}
	for _, r := range recs {
		byID[r.ID] = r
	}
	c.mu.Lock()
	statuses := make(map[string]heard, len(c.statuses))
	for k, v := range c.statuses {
		statuses[k] = v
	}
	c.mu.Unlock()
	ids := map[string]bool{}
	for id := range byID {
		ids[id] = true
	}
	for id := range statuses {
		ids[id] = true
	}
	now := time.Now()
	var out []CityHall
	for id := range ids {
		rec, h := byID[id], statuses[id]
		ch := CityHall{ID: id, Name: id, Link: "never", Held: rec.Ledger.Last, Epoch: rec.Ledger.Current()}
		for _, m := range rec.Ledger.Missed {
			ch.Missed += m.To - m.From + 1
		}
		if !h.at.IsZero() {
			s := h.Status
			ch.Name, ch.Names, ch.URL, ch.LastHeard = s.Name, s.Names, s.URL, h.at.UTC()
			ch.Link = "down"
			if now.Sub(h.at) < c.cfg.StaleAfter && s.Backlog.Connected {
				ch.Link = "up"
			}
			ch.Backlog = s.Backlog.Count
			if s.Backlog.Count > 0 && !s.Backlog.Oldest.IsZero() {
				ch.BacklogAge = int64(s.At.Sub(s.Backlog.Oldest)/time.Second) + int64(now.Sub(h.at)/time.Second)
			}
			if s.Seq > rec.Ledger.Last {
				ch.Behind = s.Seq - rec.Ledger.Last
			}
			ch.Open, ch.Hours, ch.DesksOpen, ch.Desks, ch.Cutoff, ch.Services = s.Open, s.Hours, s.DesksOpen, s.Desks, s.Cutoff, s.Services
			for _, sv := range s.Services {
				ch.Waiting += sv.Waiting
				ch.Longest = max(ch.Longest, sv.LongestWait)
			}
			ch.Day = s.Day
		}
		if ch.Day == "" && len(rec.Days) > 0 {
			ch.Day = rec.Days[len(rec.Days)-1]
		}
		if ch.Day != "" {
			ch.Today = c.figures(id, []string{ch.Day}, rec)
			ch.Month = c.figures(id, monthDays(rec.Days, ch.Day), rec)
		}
		out = append(out, ch)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	st := c.Feed.Stats()
	ing := c.Store.Stats()
	return ec.JSON(http.StatusOK, map[string]any{"halls": out, "now": now.UTC(),
		"feed": map[string]any{"connected": c.Feed.Connected(), "pending": st.Pending, "messages": st.Messages,
			"taken": ing.Taken, "duplicates": ing.Had + ing.Early + ing.Stale}})
}

// figKey caches one hall's figures over some days while it holds the
// same last event.
type figKey struct {
	hall, days string
	last       uint64
}

func (c *Central) figures(hall string, days []string, rec HallRecord) Figures {
	k := figKey{hall, strings.Join(days, ","), rec.Ledger.Last}
	c.figMu.Lock()
	f, ok := c.figs[k]
	c.figMu.Unlock()
	if ok {
		return f
	}
	f, err := FiguresOf(c.Store, hall, days)
	if err != nil {
		c.log.Warn("central: figures", "hall", hall, "err", err)
	}
	c.figMu.Lock()
	if len(c.figs) > 256 {
		c.figs = map[figKey]Figures{}
	}
	c.figs[k] = f
	c.figMu.Unlock()
	return f
}
