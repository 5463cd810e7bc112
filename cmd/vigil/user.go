package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pquerna/otp/totp"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vigilfiu/vigil"
	vhttp "github.com/vigilfiu/vigil/http"
	"github.com/vigilfiu/vigil/sqlite"
)

func newUserCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage the workspace's accounts",
		Long: `user adds accounts, changes passwords, disables accounts and creates API
tokens. Passwords are read from standard input (one line) or prompted for
on a terminal; they are never given as arguments. Roles: analyst,
investigator, supervisor, auditor, admin.`,
	}
	var role, supervisor string
	var withTOTP bool
	add := &cobra.Command{
		Use:   "add NAME",
		Short: "Add an account (password from stdin or prompt)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withUsers(e, func(us *sqlite.UserService) error {
				pw, err := readPassword(e, "Password for "+args[0]+": ")
				if err != nil {
					return err
				}
				u, err := vhttp.CreateUser(cmd.Context(), us, args[0], vigil.Role(role), supervisor, pw)
				if err != nil {
					return err
				}
				if withTOTP {
					key, err := totp.Generate(totp.GenerateOpts{Issuer: "vigil", AccountName: u.Name})
					if err != nil {
						return err
					}
					sec := key.Secret()
					if _, err := us.UpdateUser(cmd.Context(), u.Name, vigil.UserUpdate{TOTPSecret: &sec}); err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "second factor: add this to an authenticator app:\n%s\n", key.URL())
				}
				fmt.Fprintf(e.stdout, "added %s (%s)\n", u.Name, u.Role)
				return nil
			})
		},
	}
	add.Flags().StringVar(&role, "role", "", "analyst, investigator, supervisor, auditor or admin (required)")
	add.Flags().StringVar(&supervisor, "supervisor", "", "name of the supervisor who sees this user's cases")
	add.Flags().BoolVar(&withTOTP, "totp", false, "require a TOTP code at sign-in and print its otpauth:// URL")
	add.MarkFlagRequired("role")

	passwd := &cobra.Command{
		Use:   "passwd NAME",
		Short: "Set a new password (from stdin or prompt); ends the user's sessions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withUsers(e, func(us *sqlite.UserService) error {
				pw, err := readPassword(e, "New password for "+args[0]+": ")
				if err != nil {
					return err
				}
				h, err := vhttp.HashPassword(pw)
				if err != nil {
					return err
				}
				zero := 0
				if _, err := us.UpdateUser(cmd.Context(), args[0], vigil.UserUpdate{PasswordHash: &h, FailedLogins: &zero}); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "password of %s changed\n", args[0])
				return nil
			})
		},
	}
	disable := &cobra.Command{
		Use:   "disable NAME",
		Short: "Disable an account and end its sessions and tokens",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withUsers(e, func(us *sqlite.UserService) error {
				t := true
				if _, err := us.UpdateUser(cmd.Context(), args[0], vigil.UserUpdate{Disabled: &t}); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "%s disabled\n", args[0])
				return nil
			})
		},
	}
	var label string
	token := &cobra.Command{
		Use:   "token NAME",
		Short: "Create an API token acting as NAME (printed once)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withUsers(e, func(us *sqlite.UserService) error {
				tok, err := vhttp.NewAPIToken(cmd.Context(), us, args[0], label)
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, tok)
				return nil
			})
		},
	}
	token.Flags().StringVar(&label, "label", "", "what the token is for")
	list := &cobra.Command{
		Use:   "list",
		Short: "List the accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withUsers(e, func(us *sqlite.UserService) error {
				users, err := us.FindUsers(cmd.Context())
				if err != nil {
					return err
				}
				for _, u := range users {
					state := "active"
					if u.Disabled {
						state = "disabled"
					}
					fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s\n", u.Name, u.Role, u.Supervisor, state)
				}
				return nil
			})
		},
	}
	cmd.AddCommand(add, passwd, disable, token, list)
	return cmd
}

func withUsers(e *env, fn func(*sqlite.UserService) error) error {
	db, err := sqlite.Open(e.db)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(sqlite.NewUserService(db))
}

// readPassword prompts on a terminal without echo, or reads one line from
// standard input when it is not a terminal.
func readPassword(e *env, prompt string) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(e.stderr, "Again: ")
		b2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		if string(b) != string(b2) {
			return "", vigil.Errorf(vigil.EINVALID, "the two passwords differ")
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", vigil.Errorf(vigil.EINVALID, "no password on standard input")
	}
	return pw, nil
}
