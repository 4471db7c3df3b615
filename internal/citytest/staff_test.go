package citytest

import (
	"context"
	"testing"
	"time"

	"langelis/city"
	"langelis/citynats"
	"langelis/internal/e2e"
	"langelis/password"
	"langelis/queue"
)

// Staff who work in several halls: the centre's account comes down the
// wire to each hall it names and to no other; a hall's own account of the
// same name is never replaced; a revocation made while a hall is cut off
// applies when its link returns, ending the sign-ins there.
func TestCityStaffAccounts(t *testing.T) {
	hub := StartHub(t)
	hall := startHall(t, "antakalnis", hub.URL)
	ctx := context.Background()
	sc, err := citynats.OpenStaff(ctx, citynats.ConnConfig{URLs: hub.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	account := func(name, pw string, disabled bool, halls ...string) city.StaffAccount {
		h, _ := password.Hash(pw)
		return city.StaffAccount{User: queue.User{Username: name, Name: "Name " + name, Role: queue.RoleClerk, PasswordHash: h, Disabled: disabled}, Halls: halls}
	}
	login := func(name, pw string) (int, string) {
		var r struct{ Token string }
		code := e2e.Do(t, hall.URL, "POST", "/api/v1/session", "", map[string]string{"username": name, "password": pw}, &r)
		return code, r.Token
	}
	hall.AddUser("rasa", queue.RoleClerk) // the hall's own account: password pw-rasa-secret
	for _, a := range []city.StaffAccount{
		account("jonas", "jonas-city-pw", false, "antakalnis", "zirmunai"),
		account("petras", "petras-city-pw", false, "zirmunai"),
		account("rasa", "rasa-city-pw", false, "*"),
		account("marker", "marker-city-pw", false, "*"),
	} {
		if err := sc.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, func() bool { _, err := hall.Store.User("marker"); return err == nil })
	code, token := login("jonas", "jonas-city-pw")
	if code != 200 {
		t.Fatalf("the centre's account of a clerk of this hall cannot sign in: %d", code)
	}
	if _, err := hall.Store.User("petras"); err == nil {
		t.Fatal("an account for another hall came to this one")
	}
	if code, _ := login("rasa", "rasa-city-pw"); code == 200 {
		t.Fatal("the centre's account replaced the hall's own of the same name")
	}
	if code, _ := login("rasa", "pw-rasa-secret"); code != 200 {
		t.Fatalf("the hall's own account no longer signs in: %d", code)
	}

	// The hall is cut off; the centre revokes jonas meanwhile.
	linkCfg := citynats.LinkConfig{Hall: "antakalnis", URL: "https://antakalnis.example", Conn: citynats.ConnConfig{URLs: hub.URL},
		StatusEvery: 200 * time.Millisecond}
	hall.App.City.Close()
	hall.App.City = nil
	a, _ := sc.Get(ctx, "jonas")
	a.User.Disabled = true
	if err := sc.Put(ctx, a); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if code := e2e.Do(t, hall.URL, "GET", "/api/v1/session", token, nil, nil); code != 200 {
		t.Fatalf("cut off, the hall cannot know of the revocation yet, but the session ended: %d", code)
	}
	// The link returns: the revocation applies, and the session ends.
	link, err := citynats.StartLink(linkCfg, hall.Store, hall.Engine)
	if err != nil {
		t.Fatal(err)
	}
	defer link.Close()
	waitFor(t, func() bool { return e2e.Do(t, hall.URL, "GET", "/api/v1/session", token, nil, nil) == 401 })
	if code, _ := login("jonas", "jonas-city-pw"); code != 401 {
		t.Fatalf("a revoked account signs in: %d", code)
	}
}
