package wire

import "langelis/queue"

// The bodies of the manager's configuration changes (/api/v1/admin/...,
// server/admin_config.go). Each may carry "lang", the language of the
// refusal's message.

// ServiceBody is a service as the admin page sends it: POST
// /api/v1/admin/services and PUT /api/v1/admin/services/{letter}.
type ServiceBody struct {
	Letter        string            `json:"letter"`
	Names         map[string]string `json:"names"`
	TargetMinutes float64           `json:"target_minutes"`
	// TargetWaitMinutes is the service level's bound; absent, a change
	// keeps the service's own and a new service gets the default.
	TargetWaitMinutes *float64 `json:"target_wait_minutes"`
	DailyCap          int      `json:"daily_cap"`
	Colour            string   `json:"colour"`
	Lang              string   `json:"lang,omitempty"`
}

// DeskBody is a desk as the admin page sends it: POST /api/v1/admin/desks
// and PUT /api/v1/admin/desks/{n} (which reads only Services).
type DeskBody struct {
	Number   int      `json:"number"`
	Services []string `json:"services"`
	Lang     string   `json:"lang,omitempty"`
}

// DayBody names one office day, with its hours for an exception: POST
// /api/v1/admin/holidays and PUT /api/v1/admin/exceptions.
type DayBody struct {
	Date  string `json:"date"`
	Hours string `json:"hours"` // an exception's spans, or "closed"
	Lang  string `json:"lang,omitempty"`
}

// Rules are the office-wide settings of the Rules form: PUT
// /api/v1/admin/rules, and the rules of GET /api/v1/admin/config.
type Rules struct {
	Priority           queue.PrioritySettings `json:"priority"`
	RecallLimit        int                    `json:"recall_limit"`
	NoticeMinutes      int                    `json:"notice_minutes"`
	DayEndMinutes      int                    `json:"day_end_minutes"`
	BeyondCutoff       string                 `json:"beyond_cutoff"`
	RetentionDays      int                    `json:"retention_days"`
	AuditRetentionDays int                    `json:"audit_retention_days"`
	Languages          []string               `json:"languages"`
	Lang               string                 `json:"lang,omitempty"`
}

// WeekBody is the body of PUT /api/v1/admin/hours: every weekday's hours,
// "monday": "08:00-12:00, 12:45-17:00" or "closed".
type WeekBody struct {
	Week map[string]string `json:"week"`
	Lang string            `json:"lang,omitempty"`
}

// RebuildRequest is the body of POST /api/v1/reports/rebuild.
type RebuildRequest struct {
	Day string `json:"day"` // 2026-11-23
}

// Rebuilt answers POST /api/v1/reports/rebuild: the day rebuilt and the
// journal's sequence number its figures reach.
type Rebuilt struct {
	Day string `json:"day"`
	Seq uint64 `json:"seq"`
}
