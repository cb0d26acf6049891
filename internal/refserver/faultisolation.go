package refserver

// Lookups without the agency filter, for the isolation faults: they find a
// record in whichever agency holds it.

// ownerOf is the agency holding file id, or a when none does.
func (s *Server) ownerOf(id int64, a *agency) *agency {
	return s.anyAgency(a, func(o *agency) bool {
		o.mu.RLock()
		defer o.mu.RUnlock()
		_, ok := o.media[id]
		return ok
	})
}

// jobOwner is the agency holding job id, or a when none does.
func (s *Server) jobOwner(id int64, a *agency) *agency {
	return s.anyAgency(a, func(o *agency) bool {
		o.mu.RLock()
		defer o.mu.RUnlock()
		_, ok := o.jobs[id]
		return ok
	})
}

// externalOwner is an agency using external ID ext, a first, or a when none does.
func (s *Server) externalOwner(ext string, a *agency) *agency {
	return s.anyAgency(a, func(o *agency) bool {
		o.mu.RLock()
		defer o.mu.RUnlock()
		_, ok := o.byExternal[ext]
		return ok
	})
}

// anyAgency is a if holds(a), else the first other agency that holds, else a.
func (s *Server) anyAgency(a *agency, holds func(*agency) bool) *agency {
	if holds(a) {
		return a
	}
	for _, o := range s.agencies {
		if o != a && holds(o) {
			return o
		}
	}
	return a
}
