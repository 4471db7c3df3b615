package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"langelis/central"
	"langelis/citynats"
	"langelis/office"
	"langelis/password"
	"langelis/queue"
)

func init() { extraCommands["city-demo"] = cmdCityDemo }

// demoHalls are the city demo's three halls.
var demoHalls = []struct {
	id    string
	names map[string]string
}{
	{"centras", map[string]string{"lt": "Centro klientų aptarnavimo salė", "en": "Central customer service hall",
		"ru": "Центральный зал обслуживания", "pl": "Centralna sala obsługi klientów", "uk": "Центральний зал обслуговування"}},
	{"antakalnis", map[string]string{"lt": "Antakalnio seniūnija", "en": "Antakalnis district office",
		"ru": "Антакальнисское староство", "pl": "Starostwo Antokol", "uk": "Антакальніське староство"}},
	{"naujoji-vilnia", map[string]string{"lt": "Naujosios Vilnios seniūnija", "en": "Naujoji Vilnia district office",
		"ru": "Староство Науйойи-Вильня", "pl": "Starostwo Nowa Wilejka", "uk": "Староство Науйої-Вільні"}},
}

// cmdCityDemo is `make run-city`: the city's centre with NATS inside it,
// and three demo halls linked to it (the third through its own leaf
// node), each with a little traffic, in one process.
func cmdCityDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("city-demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "data-city", "folder for the centre's and the halls' files")
	host := fs.String("host", "127.0.0.1", "address to serve on")
	port := fs.Int("port", 8090, "the centre's port; the halls take the next three, NATS 4222 and 7422 unless taken")
	traffic := fs.Bool("traffic", true, "let visitors come and clerks call, so the figures move")
	level := fs.String("log-level", "warn", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lv}))
	natsAddr := freeOr(*host, 4222)
	leafAddr := freeOr(*host, 7422)
	c, err := central.Open(ctx, central.Config{Data: filepath.Join(*dir, "central"), Logger: log,
		Embed: &citynats.HubConfig{Listen: natsAddr, LeafListen: leafAddr}})
	if err != nil {
		return err
	}
	defer c.Close()
	pw := "demo-" + randomToken()[:6]
	if err := demoCityAccount(c, pw); err != nil {
		return err
	}
	if err := c.Listen(net.JoinHostPort(*host, strconv.Itoa(*port))); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Langelis city demo\n  NATS %s (leaf nodes %s)\n  the city view  %s/city   (staff account: city %s)\n  every hall     %s/halls\n",
		c.Hub.ClientURL(), c.Hub.LeafURL(), c.URL(), pw, c.URL())
	var halls []*Main
	for i, h := range demoHalls {
		o := office.Demo()
		o.Name, o.Names = h.names["lt"], h.names
		addr := net.JoinHostPort(*host, strconv.Itoa(*port+1+i))
		link := &citynats.LinkConfig{Hall: h.id, URL: "http://" + addr, Conn: citynats.ConnConfig{URLs: c.Hub.ClientURL()}}
		if i == 2 {
			link.Leaf = &citynats.LeafConfig{Remotes: c.Hub.LeafURL()}
		}
		m := &Main{Addr: addr, DataDir: filepath.Join(*dir, h.id), Demo: true, Office: o, Logger: log, City: link, IssueRate: -1}
		if err := m.setClock(""); err != nil {
			return err
		}
		if err := m.Run(ctx); err != nil {
			return fmt.Errorf("hall %s: %w", h.id, err)
		}
		defer m.Close()
		halls = append(halls, m)
		via := "NATS"
		if link.Leaf != nil {
			via = "its own NATS leaf node"
		}
		fmt.Fprintf(stdout, "  hall %-15s %s   (kiosk %s/kiosk, linked through %s)\n", h.id, m.URL(), m.URL(), via)
		if *traffic {
			go demoTraffic(ctx, m.App.Engine, int64(i+1), []time.Duration{3 * time.Second, 5 * time.Second, 8 * time.Second}[i])
		}
	}
	fmt.Fprintln(stdout, "Stop with Ctrl-C.")
	<-ctx.Done()
	return nil
}

func demoCityAccount(c *central.Central, pw string) error {
	h, err := password.Hash(pw)
	if err != nil {
		return err
	}
	return c.Store.PutUser(queue.User{Username: "city", Name: "Miesto koordinatorė", Role: queue.RoleAdmin, PasswordHash: h, CreatedAt: time.Now()})
}

// freeOr returns host:port when it is free, else host:0 (any free port).
func freeOr(host string, port int) string {
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return net.JoinHostPort(host, "0")
	}
	ln.Close()
	return addr
}

// demoTraffic lets visitors arrive about every `every` and two or three
// clerks serve them, so the city's figures move.
func demoTraffic(ctx context.Context, e *queue.Engine, seed int64, every time.Duration) {
	rng := rand.New(rand.NewSource(seed))
	desks := []int{1, 2, 3}[:1+rng.Intn(3)]
	for _, d := range desks {
		e.OpenDesk(ctx, d, queue.Actor{User: fmt.Sprintf("clerk%d", d), Name: "Demo"})
	}
	services := []string{"A", "A", "B", "C", "D"}
	langs := []string{"lt", "lt", "lt", "en", "ru", "pl", "uk"}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		e.Issue(ctx, queue.IssueRequest{Service: services[rng.Intn(len(services))], Lang: langs[rng.Intn(len(langs))],
			Channel: queue.ChannelKiosk}, queue.Actor{User: "kiosk:demo"})
		if i%3 == 0 {
			d := desks[rng.Intn(len(desks))]
			a := queue.Actor{User: fmt.Sprintf("clerk%d", d), Name: "Demo"}
			e.Finish(ctx, d, a)
			if _, err := e.Next(ctx, d, a); err == nil {
				e.Start(ctx, d, a)
			}
		}
	}
}
