package refserver

import (
	"bytes"
	"encoding/json"
)

// Serialization bugs of the media body. Each rewrites the one field its
// fault names, as a wrong struct tag, type or enum mapping in the DTO would.

// misrender changes a decoded media body in place.
type misrender func(doc map[string]any, st *faultState)

var misrenders = map[string]misrender{
	faultShapeSizeString: func(doc map[string]any, _ *faultState) {
		if n, ok := doc["size"].(json.Number); ok {
			doc["size"] = n.String()
		}
	},
	faultShapeIDString: func(doc map[string]any, _ *faultState) {
		doc["id"] = doc["id"].(json.Number).String()
	},
	faultShapeExternalIDOmitted: func(doc map[string]any, _ *faultState) {
		if doc["externalId"] == nil {
			delete(doc, "externalId") // omitempty on the field
		}
	},
	faultShapeVariantSizeNumber: func(doc map[string]any, _ *faultState) {
		for _, v := range doc["variants"].([]any) {
			v := v.(map[string]any)
			v["variantSize"] = json.Number(v["variantSize"].(string))
		}
	},
	faultShapeContentTypeRenamed: func(doc map[string]any, _ *faultState) {
		doc["mimeType"] = doc["contentType"]
		delete(doc, "contentType")
	},
	faultShapeOptimizationEnum: func(doc map[string]any, _ *faultState) {
		if doc["optimization"] == optSuccess {
			doc["optimization"] = "done"
		}
	},
	faultOptimizeStatusRegress: func(doc map[string]any, st *faultState) {
		// Every second read comes from a replica that has not seen the last
		// write, which for a finished file is the move to success.
		if doc["optimization"] == optSuccess && st.replicaReads.Add(1)%2 == 0 {
			doc["optimization"] = optInProgress
			doc["size"], doc["contentType"], doc["blurhash"], doc["originalUrl"] = nil, nil, nil, nil
			doc["variants"] = []any{}
		}
	},
}

// render is the JSON of m. With a serializer bug on, the clean body goes
// through it; otherwise it is the cached body.
func (a *agency) render(m *media, scheme, host string) []byte {
	body := m.body(scheme, host)
	if a.faults.any && len(a.faults.st.misrenders) > 0 {
		body = a.faults.st.misrender(body)
	}
	return body
}

func (st *faultState) misrender(body []byte) []byte {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return body
	}
	for _, fn := range st.misrenders {
		fn(doc, st)
	}
	out, _ := json.Marshal(doc)
	return out
}

// overflowLastAC sets the last AC component of a BlurHash to "~~" (6888),
// past the largest value two base83 digits may hold there (19^3-1 = 6858):
// alphabet and length stay right, the hash no longer decodes to colours.
func overflowLastAC(hash string) string {
	if len(hash) < 8 {
		return hash
	}
	return hash[:len(hash)-2] + "~~"
}
