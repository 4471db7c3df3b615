package queue

// Contact is how people reach the office about their data and about the
// accessibility of its pages: the privacy notice (/privacy) and the
// accessibility statement (/accessibility) are written from it. Every
// field is optional; a notice leaves out what is not given.
type Contact struct {
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
	// DPO is how to reach the data protection officer.
	DPO string `json:"dpo,omitempty"`
	// Supervisor is the data protection authority a visitor may complain
	// to (in Lithuania the State Data Protection Inspectorate).
	Supervisor string `json:"supervisor,omitempty"`
	// Enforcement is the body that enforces the accessibility of public
	// sector sites (Directive (EU) 2016/2102, Article 9).
	Enforcement string `json:"enforcement,omitempty"`
	// Reviewed is when the accessibility statement was last reviewed,
	// 2006-01-02.
	Reviewed string `json:"accessibility_reviewed,omitempty"`
}
