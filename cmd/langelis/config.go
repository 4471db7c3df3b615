package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"langelis/office"
	"langelis/queue"
	"langelis/store"
)

const configHelp = `config: say show or export, e.g.
  langelis config show --data data           what the office runs with now
  langelis config export --data data office.yaml
                                             the running configuration as an office file
While the server runs on --data, the command asks it; otherwise it reads the file.`

// cmdConfig shows or exports the running configuration: the running
// server's when one runs on the data folder, else the one the store last
// ran with (its configuration changes included).
func cmdConfig(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		return errors.New(configHelp)
	}
	sub := args[0]
	fs := flag.NewFlagSet("config "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "data", "the server's data folder")
	pos, err := parseAnywhere(fs, args[1:])
	if err != nil {
		return err
	}
	if sub != "show" && sub != "export" {
		return errors.New(configHelp)
	}
	if sub == "show" && len(pos) > 0 || len(pos) > 1 {
		return fmt.Errorf("config %s: unexpected %q", sub, strings.Join(pos, " "))
	}
	o, how, err := runningOffice(ctx, *dir)
	if err != nil {
		return fmt.Errorf("config %s: %w", sub, sayErr(err))
	}
	if sub == "show" {
		fmt.Fprintf(stdout, "The running configuration, %s:\n\n", how)
		return showOffice(stdout, o)
	}
	data := office.Export(o, fmt.Sprintf("exported by langelis config export on %s, %s",
		time.Now().Format("2006-01-02 15:04"), how))
	if len(pos) == 0 || pos[0] == "-" {
		_, err := stdout.Write(data)
		return err
	}
	if _, err := store.WriteFileAtomic(pos[0], func(w io.Writer) (int64, error) {
		n, err := w.Write(data)
		return int64(n), err
	}); err != nil {
		return fmt.Errorf("config export: %w", err)
	}
	fmt.Fprintf(stdout, "Wrote %s (%s).\n", pos[0], how)
	return nil
}

// runningOffice is the configuration the office runs with: the running
// server's, else the store's (its last configuration change, else the
// office it last started with).
func runningOffice(ctx context.Context, dir string) (*queue.Office, string, error) {
	if info, ok := runningServer(ctx, dir); ok {
		// The same export the admin page offers: the office file, which
		// reads back to the running configuration.
		r := &remotePeople{ctx: ctx, info: info}
		var data []byte
		if err := r.do(http.MethodGet, "/api/v1/admin/config.yaml", nil, &data); err != nil {
			return nil, "", err
		}
		o, err := office.Parse("the running server's configuration", data)
		if err != nil {
			return nil, "", err
		}
		return o, "from the running server", nil
	}
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil {
		return nil, "", fmt.Errorf("no office in %s: no server runs on it and it holds no store", dir)
	}
	s, err := openStore(dir)
	if err != nil {
		return nil, "", err
	}
	defer s.Close()
	o, err := s.RunningOffice()
	if errors.Is(err, store.ErrNotFound) {
		o, err = s.SavedOffice()
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", errors.New("the store has no office yet: start the server on it once")
	}
	if err != nil {
		return nil, "", err
	}
	return o, "from the file (no server running)", nil
}

// showOffice prints what a manager checks: the office, its languages, the
// services, the desks and the week.
func showOffice(w io.Writer, o *queue.Office) error {
	first := o.FirstLanguage()
	fmt.Fprintf(w, "Office:     %s (%s)\nLanguages:  %s\n\n", o.Name, o.TimeZone, strings.Join(o.Languages, ", "))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE\tNAME\tTARGET MIN\tDAILY CAP")
	for _, s := range o.Services {
		cap := "-"
		if s.DailyCap > 0 {
			cap = fmt.Sprint(s.DailyCap)
		}
		fmt.Fprintf(tw, "%s\t%s\t%g\t%s\n", s.Letter, s.Names[first], s.TargetMinutes, cap)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "DESK\tSERVICES")
	for _, d := range o.Desks {
		fmt.Fprintf(tw, "%d\t%s\n", d.Number, strings.Join(d.Services, " "))
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "DAY\tHOURS")
	for i, day := range []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"} {
		var spans []string
		for _, sp := range o.Hours.Week[i] {
			spans = append(spans, fmt.Sprintf("%02d:%02d-%02d:%02d", sp.Start/60, sp.Start%60, sp.End/60, sp.End%60))
		}
		if len(spans) == 0 {
			spans = []string{"closed"}
		}
		fmt.Fprintf(tw, "%s\t%s\n", day, strings.Join(spans, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nRecall limit %d, notice %d min, day end %d min, beyond the cutoff: %s, retention %d days.\n",
		o.RecallLimit, o.NoticeMinutes, o.DayEndMinutes, o.BeyondCutoff, o.RetentionDays)
	return nil
}
