"""Writes that carry rules. Views and the API both call these; each public function is one
user action and commits once (or rolls back and raises)."""
