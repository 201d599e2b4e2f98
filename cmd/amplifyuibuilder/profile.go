package main

import (
	"os"
	"path/filepath"
	"strings"
)

// profileSetting returns a setting of the shared config file's profile, such
// as its output format, which aws-sdk-go-v2's config does not read. It
// returns "" when the file, the profile or the setting is absent.
//
// The file is AWS_CONFIG_FILE, else ~/.aws/config; a profile is the section
// [profile NAME], or [default] for the default profile, as the AWS CLI
// reads them.
func profileSetting(profile, key string) string {
	path := os.Getenv("AWS_CONFIG_FILE")
	if path == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		path = filepath.Join(home, ".aws", "config")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return iniSetting(string(data), profile, key)
}

// iniSetting finds key in the profile's section of a config file's text.
func iniSetting(text, profile, key string) string {
	inProfile := false
	value := ""
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[':
			section := strings.Join(strings.Fields(strings.Trim(line, "[]")), " ")
			inProfile = section == "profile "+profile || (profile == "default" && section == "default")
		case inProfile:
			name, v, ok := strings.Cut(line, "=")
			if ok && strings.TrimSpace(name) == key {
				value = strings.TrimSpace(v)
			}
		}
	}
	return value
}
