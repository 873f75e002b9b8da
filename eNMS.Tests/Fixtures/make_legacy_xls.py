#!/usr/bin/python3
"""Writes legacy-inventory.xls: an Excel 97-2003 workbook shaped like what the original eNMS exports
(sheets `device` and `link`, first row = property names), with the quirks real exports have: numbers stored as
text, ports as 22.0, trailing spaces, a coordinate that is not a number, logins in plain columns.
Run with Debian's python3-xlwt: /usr/bin/python3 make_legacy_xls.py"""
import xlwt

book = xlwt.Workbook()
devices = book.add_sheet("device")
device_rows = [
    ["name", "ip_address", "port", "longitude", "latitude", "vendor", "model", "operating_system", "os_version",
     "location", "description", "icon", "subtype", "username", "password", "enable_password", "netmiko_driver"],
    ["lisbon-edge", "10.10.0.1", 22.0, -9.1393, 38.7223, "Cisco ", "ISR4451", "IOS", "16.9", "Lisbon", "edge", "router",
     "router", "admin", "s3cret-lisbon", "en-lisbon", "cisco_ios"],
    ["porto-edge", "10.10.0.2", "22.0", "-8.6291", "41.1579", "Cisco", "ISR4451", "IOS", "16.9", "Porto", "", "router",
     "router", "admin", "s3cret-lisbon", "en-lisbon", ""],
    ["faro-edge", "10.10.0.3", 22, "-7.9304", "38,.,89511", "Juniper", "MX204", "Junos", "21.4", "Faro", "", "router",
     "router", "ops", "other-pass", "", "juniper_junos"],
    ["", "10.10.0.4", 22, 0, 0, "Arista", "", "EOS", "", "", "", "", "", "", "", "", "arista_eos"],
    ["porto-edge", "10.10.0.5", 22, 0, 0, "Arista", "", "EOS", "", "", "", "", "", "", "", "", "arista_eos"],
    ["braga-edge", "10.10.0.6", 22.5, 0, 0, "Arista", "", "EOS", "", "", "", "", "", "", "", "", "arista_eos"],
]
for r, row in enumerate(device_rows):
    for c, value in enumerate(row):
        devices.write(r, c, value)

links = book.add_sheet("link")
link_rows = [
    ["name", "source_name", "destination_name", "description", "vendor", "model", "subtype", "color", "location"],
    ["lisbon-porto", "lisbon-edge", "porto-edge", "fiber", "Ciena", "10G", "optical", "#d4222a", ""],
    ["lisbon-nowhere", "lisbon-edge", "nowhere-edge", "", "", "", "", "", ""],
]
for r, row in enumerate(link_rows):
    for c, value in enumerate(row):
        links.write(r, c, value)

book.save("legacy-inventory.xls")
