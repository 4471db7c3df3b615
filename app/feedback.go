package app

// purgeFeedback deletes the contact, text and notes of every complaint,
// suggestion or thanks answered more than the office's
// feedback_retention_days ago (office clock: the answer's date is an
// office fact). It runs with the hourly purge, before the journal's, so
// that the compaction that follows wipes them from the file's bytes.
func (a *App) purgeFeedback() {
	days := a.Engine.Office().FeedbackRetentionDays
	if days <= 0 {
		return
	}
	if n, err := a.Store.PurgeFeedback(days, a.cfg.Clock.Now()); err != nil {
		a.log.Warn("app: purge of complaints' contacts", "err", err)
	} else if n > 0 {
		a.log.Info("app: deleted the contacts and texts of answered complaints past their retention", "n", n, "days", days)
	}
}
