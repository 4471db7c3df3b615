// Command langelis is the queue server and its admin subcommands.
//
//	langelis serve [--addr ADDR] [--data DIR] [--config FILE | --demo[=bg]]
//	langelis backup [--data DIR] FILE
//	langelis user add|list|disable|enable|reset-password|passwd ...
//	langelis config show|export ...
//	langelis simulate ...
//	langelis loadtest ...
//	langelis central ...
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "langelis:", err)
		os.Exit(1)
	}
}

const usage = `Langelis: queue management for a customer-service hall.

Usage:
  langelis serve    [--addr 127.0.0.1:8080] [--data DIR] [--config office.yaml | --demo[=bg]]
  langelis backup   [--data DIR] FILE      take a consistent copy, even while serving
  langelis user     add|list|disable|enable|reset-password|passwd [--data DIR] ...
                                           accounts, on the running server or the file
  langelis config   show|export [--data DIR] [FILE]
                                           the running configuration, shown or as an office file
  langelis simulate [flags]                simulate office days (see langelis simulate -h)
  langelis loadtest [flags]                drive a running test server as a busy hall would (see -h)
  langelis central  [flags]                the city's centre: every hall's stream, /city and /halls (docs/city.md)

Run "langelis COMMAND -h" for a command's flags.
`

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command given")
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], stdout, stderr)
	case "backup":
		return cmdBackup(ctx, args[1:], stdout, stderr)
	case "user":
		return cmdUser(ctx, args[1:], stdin, stdout, stderr)
	case "config":
		return cmdConfig(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	if extra, ok := extraCommands[args[0]]; ok {
		return extra(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// extraCommands lets later subcommands (simulate) register from their own
// files without touching the switch above.
var extraCommands = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) error{}
