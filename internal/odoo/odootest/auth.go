package odootest

import "time"

// loginFailure counts the failed logins from one address since its last
// success, as res.users._assert_can_auth does.
type loginFailure struct {
	count int
	last  time.Time
}

// authKey is a (uid, password) pair Odoo has verified: it caches them
// (ormcache on check / _check_uid_passwd), so a verified pair is not checked
// again, not even during a cooldown, until the caches are cleared.
type authKey struct {
	uid    int
	secret string
}

func (s *Server) cooldownAfter() int {
	if s.opt.CooldownAfter == 0 {
		return 5
	}
	return s.opt.CooldownAfter
}

// onCooldown is _on_login_cooldown: failures >= threshold and the last one
// less than the duration ago.
func (s *Server) onCooldown(ip string) bool {
	after := s.cooldownAfter()
	if after <= 0 {
		return false
	}
	f, ok := s.failures[ip]
	return ok && f.count >= after && s.now().Sub(f.last) < s.opt.CooldownDuration
}

// guard runs one authentication attempt from ip under the cooldown: a
// source on cooldown is refused without trying; an AccessDenied counts as a
// failure; a success forgets the source's failures.
func (s *Server) guard(ip string, attempt func() *odooError) *odooError {
	if s.onCooldown(ip) {
		return tooManyFailures()
	}
	err := attempt()
	switch {
	case err == nil:
		delete(s.failures, ip)
	case err.class == excAccessDenied:
		f := s.failures[ip]
		s.failures[ip] = loginFailure{count: f.count + 1, last: s.now()}
	}
	return err
}

// credentialOK checks a password or an API key. Users with two-factor
// authentication can only use their API key over RPC.
func credentialOK(u *User, secret string) bool {
	if secret == "" {
		return false
	}
	if u.APIKey != "" && secret == u.APIKey {
		return true
	}
	return !u.TwoFactor && u.Password != "" && secret == u.Password
}

func (s *Server) userByUID(uid int) *User {
	for i := range s.users {
		if s.users[i].UID == uid {
			return &s.users[i]
		}
	}
	return nil
}

// userActive reads the user's res.users record: archived users cannot log in.
func (s *Server) userActive(uid int) (exists, active bool) {
	row, ok := s.data.table("res.users").rows[uid]
	if !ok {
		return false, false
	}
	return true, truthy(row["active"])
}

// authenticate is common.authenticate: the uid, or False for wrong
// credentials or a source on cooldown (Odoo turns AccessDenied into False).
func (s *Server) authenticate(ip, login string, password any) any {
	var uid int
	err := s.guard(ip, func() *odooError {
		for _, id := range s.data.IDs("res.users") {
			row := s.data.table("res.users").rows[id]
			if row["login"] != login || !truthy(row["active"]) {
				continue
			}
			u := s.userByUID(id)
			if u == nil || !credentialOK(u, secretOf(password)) {
				return accessDenied()
			}
			uid = id
			return nil
		}
		return accessDenied()
	})
	if err != nil {
		return false
	}
	return uid
}

// checkUID is the credential check of every object call.
func (s *Server) checkUID(ip string, uid int, password any) *odooError {
	secret := secretOf(password)
	if s.authOK[authKey{uid, secret}] {
		return nil
	}
	if !truthy(password) {
		return accessDenied()
	}
	err := s.guard(ip, func() *odooError {
		exists, active := s.userActive(uid)
		if !exists {
			return missingRecord("res.users", uid, uid)
		}
		u := s.userByUID(uid)
		if !active || u == nil || !credentialOK(u, secret) {
			return accessDenied()
		}
		return nil
	})
	if err == nil {
		s.authOK[authKey{uid, secret}] = true
	}
	return err
}

// apiKeyUser is the user of a JSON-2 bearer token (API keys only).
func (s *Server) apiKeyUser(token string) *User {
	for i := range s.users {
		u := &s.users[i]
		if u.APIKey != "" && token == u.APIKey {
			if _, active := s.userActive(u.UID); active {
				return u
			}
		}
	}
	return nil
}

func secretOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if v == nil || v == false {
		return ""
	}
	return pyStr(v)
}
