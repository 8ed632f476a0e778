# 2024-01-08 10:22:41 by RouterOS 7.12.1
# software id = 4Q2D-XR7K
#
/interface wireless security-profiles
set [ find default=yes ] supplicant-identity=MikroTik
add authentication-types=wpa2-psk mode=dynamic-keys name=ot-wifi supplicant-identity="" wpa2-pre-shared-key=Wifi-OT#Site2-2024
/ip ipsec peer
add address=198.51.100.80/32 name=hq secret=Site2-Ipsec#Psk
/ppp secret
add name=vpn-site2 password=Ppp#Site2-Link service=l2tp
/snmp community
set [ find default=yes ] name=Site2Mon write-access=no
/system identity
set name=site2-rtr
/user
add group=full name=ops password=0ps#Site2-Full
