package refserver

// The media records of an agency and the operations on them (view, create,
// remove, link, unlink). Every operation takes the agency lock once, so link,
// unlink, create and delete are atomic per agency. The bytes of the files are
// in the blob store (storedfiles.go); the JSON of a record in mediarecord.go.

func (a *agency) count() int {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return len(a.media)
}

// view is the JSON of file id for scheme://host.
func (a *agency) view(id int64, scheme, host string) ([]byte, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	m, ok := a.media[id]
	if !ok && a.fault(faultDeleteStillServed) {
		m, ok = a.residue.ghosts[id] // the read cache missed the delete
	}
	if !ok {
		return nil, false
	}
	return a.render(m, scheme, host), true
}

// viewExternal is the JSON of the file with external ID ext.
func (a *agency) viewExternal(ext, scheme, host string) ([]byte, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	m, ok := a.byExternal[ext]
	if !ok {
		return nil, false
	}
	return a.render(m, scheme, host), true
}

// create adds a new file and its job, unless its external ID is taken.
func (a *agency) create(m *media, j *job) *apiError {
	a.mu.Lock()
	defer a.mu.Unlock()
	if m.hasExternal {
		if _, taken := a.byExternal[m.externalID]; taken && !a.fault(faultLinkUploadDuplicate) {
			return errTaken
		}
		if a.stillReserved(m.externalID) || a.uploadReserved(m.externalID) {
			return errTaken
		}
		a.byExternal[m.externalID] = m
	}
	a.media[m.id] = m
	a.jobs[j.id] = j
	return nil
}

// remove deletes file id.
func (a *agency) remove(id int64) *apiError {
	a.mu.Lock()
	defer a.mu.Unlock()
	m, ok := a.media[id]
	if !ok && a.fault(faultDeleteTwiceOK) {
		return nil // the affected-row count is not checked
	}
	if !ok {
		return errFileNotFound
	}
	if !a.removeLeaky(m, false) {
		a.forget(m)
	}
	return nil
}

// removeExternal deletes the file with external ID ext and returns its id.
func (a *agency) removeExternal(ext string) (int64, *apiError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	m, ok := a.byExternal[ext]
	if !ok {
		return 0, errFileNotFound
	}
	if !a.removeLeaky(m, true) {
		a.forget(m)
	}
	return m.id, nil
}

// forget drops m from the indexes and storage and frees its external ID.
// Called with a.mu held for writing.
func (a *agency) forget(m *media) {
	delete(a.media, m.id)
	if m.hasExternal {
		delete(a.byExternal, m.externalID)
		if a.fault(faultLinkReservedAfterDelete) {
			a.residue.retired[m.externalID] = true // a soft-deleted row keeps the unique key
		}
	}
	if a.fault(faultDeleteStillServed) {
		a.residue.ghosts[m.id] = m // the read cache is not invalidated
	}
	m.deleted = true
	a.blobs.drop(m.id)
}

// link attaches ext to file id: the file must have no external ID and ext
// must be free in the agency.
func (a *agency) link(id int64, ext string) *apiError {
	if a.fault(faultLoadLinkRace) {
		return a.linkRacy(id, ext)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	m, ok := a.media[id]
	switch {
	case !ok:
		return errFileNotFound
	case m.hasExternal && m.externalID == ext && a.fault(faultLinkRelinkSameOK):
		return nil // a repeat is taken as idempotent
	case m.hasExternal && a.fault(faultLinkOverwrite):
		delete(a.byExternal, m.externalID) // link written as an upsert
	case m.hasExternal || a.relinkRefused(id):
		return errHasExternal
	}
	if _, taken := a.byExternal[ext]; taken && !a.fault(faultLinkDuplicateAccepted) {
		return errTaken
	}
	if a.stillReserved(ext) {
		return errTaken
	}
	m.externalID, m.hasExternal = ext, true
	a.byExternal[ext] = m
	m.changed()
	return nil
}

// unlink detaches the external ID of file id and returns it.
func (a *agency) unlink(id int64) (string, *apiError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	m, ok := a.media[id]
	switch {
	case !ok:
		return "", errFileNotFound
	case !m.hasExternal:
		return "", errNoExternal
	}
	ext := m.externalID
	a.unlinkResidue(id, ext)
	if !a.fault(faultLinkStaleAfterUnlink) {
		delete(a.byExternal, ext)
	}
	m.externalID, m.hasExternal = "", false
	if a.fault(faultLinkUnlinkWrongID) {
		ext = m.externalID // the answer reads the field after clearing it
	}
	m.changed()
	return ext, nil
}
