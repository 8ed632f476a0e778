//! Industrial switch and gateway exports as specifications (Westermo WeOS, Hirschmann
//! HiOS, Siemens SCALANCE and RUGGEDCOM, Moxa): a short export in, the exact findings
//! out, and the masked or foreign files that must give nothing.

mod common;

use Flag::{Hashed as H, NonHuman as N, Privileged as P};
use common::dialect::*;
use credence::detect::dialects;
use credence::finding::Flag;

#[test]
fn industrial_westermo_and_hirschmann() {
    let weos = "system\n\thostname gw7\nend\nmanagement\n\tsnmp\n\t\trocommunity Gw7Ro\n\t\trwcommunity private\n\tend\nend\n";
    assert_eq!(
        scan("gw7.conf", weos),
        vec![
            f(6, "community", "snmp RO", "gw7", &[N], "Gw7Ro"),
            f(7, "community", "snmp RW", "gw7", &[N, P], "private")
        ]
    );
    let hios = "hostname ring2\nusers password admin private\n";
    assert_eq!(
        scan("ring2.cli", hios),
        vec![f(2, "password", "admin", "ring2", &[P], "private")]
    );
}

#[test]
fn scalance_user_accounts() {
    let cli = "user-account admin password admin role admin\nuser-account op passwd Op#S615x privilege user\n";
    assert_eq!(
        scan("xm408.cli", cli),
        vec![
            f(1, "password", "admin", "", &[P], "admin"),
            f(2, "password", "op", "", &[], "Op#S615x")
        ]
    );
    // A self-defined role with function rights 15 may change the device: privileged;
    // rights 1 only reads.
    let roles = "role plant-eng function-rights 15\nrole plant-view function-rights 1\n\
user-account eng1 password Eng1#Xm408 role plant-eng\n\
user-account view1 password View1#Xm408 role plant-view\n";
    assert_eq!(
        scan("xm408-roles.cli", roles),
        vec![
            f(3, "password", "eng1", "", &[P], "Eng1#Xm408"),
            f(4, "password", "view1", "", &[], "View1#Xm408")
        ]
    );
}

#[test]
fn moxa_ini_export_accounts_and_snmp() {
    // The web console's field names, one account per section (or numbered keys).
    let ini = "; Moxa EDS-510E configuration export\n\
[System Identification]\n\
Switch Name = \"bay4-eds\"\n\
[Account 1]\n\
User Name = admin\n\
Password = \"moxa\"\n\
Authority = admin\n\
[Account 2]\n\
User Name = viewer\n\
Password = \"View#Bay4x\"\n\
Confirm Password = \"View#Bay4x\"\n\
Authority = user\n\
[SNMP]\n\
V1, V2c Read Community = \"Bay4Ro\"\n\
V1, V2c Write/Read Community = \"Bay4-Rw#\"\n\
Admin Auth. Type = MD5-Auth\n\
Admin Data Encryption Key = \"Bay4-V3#Priv\"\n\
User Data Encryption Key = Disable\n\
Community Name 1 = \"Bay4Extra\"\n\
Access Type 1 = Read/Write\n";
    assert_eq!(
        scan("bay4.ini", ini),
        vec![
            f(6, "password", "admin", "bay4-eds", &[P], "moxa"),
            f(10, "password", "viewer", "bay4-eds", &[], "View#Bay4x"),
            f(14, "community", "snmp RO", "bay4-eds", &[N], "Bay4Ro"),
            f(15, "community", "snmp RW", "bay4-eds", &[N, P], "Bay4-Rw#"),
            f(
                17,
                "password",
                "snmpv3 admin",
                "bay4-eds",
                &[N, P],
                "Bay4-V3#Priv"
            ),
            f(19, "community", "snmp RW", "bay4-eds", &[N, P], "Bay4Extra"),
        ]
    );
    // Older exports: one password per built-in account, named by the key.
    let old = "# Moxa NPort 5150 export\n[Password]\nAdmin Password = Np5150#Adm\n";
    assert_eq!(
        scan("nport.ini", old),
        vec![f(3, "password", "admin", "", &[P], "Np5150#Adm")]
    );
}

#[test]
fn moxa_masked_export_and_other_ini_files_give_nothing() {
    // The console's "export without passwords" writes masks: nothing to report.
    let masked = "; Moxa EDS-G512E export\n[Account 1]\nUser Name = admin\nPassword = ********\n\
Authority = admin\n[SNMP]\nV1, V2c Read Community = \"********\"\n";
    assert!(scan("masked.ini", masked).is_empty());
    // Without the maker's name this is any ini file, left to the generic detectors.
    let other = "[Account 1]\nUser Name = admin\nPassword = Other#Pw1\n";
    assert!(scan("other.ini", other).is_empty());
}

#[test]
fn ruggedcom_ros_config_csv() {
    let csv = "# RUGGEDCOM ROS config.csv\n\
SYSTEM IDENTIFICATION\n\
System Name,Location,Contact\n\
\"sw-r7\",\"Rack 7\",\"P&C\"\n\
\n\
PASSWORDS\n\
Auth Type,Guest Username,Guest Password,Operator Username,Operator Password,Admin Username,Admin Password\n\
\"Local\",\"guest\",\"Gst#R7-2020\",\"oper\",\"Op#R7-2020x\",\"admin\",\"admin\"\n\
\n\
SNMP USERS\n\
Name,IP Address,v1/v2c Community,Auth Protocol,Priv Protocol,Auth Key,Priv Key\n\
\"poll\",\"192.0.2.7\",\"R7Poll\",\"noAuth\",\"noPriv\",\"\",\"\"\n\
\"nms\",\"192.0.2.8\",\"\",\"HMACMD5\",\"CBC-DES\",\"Nms#AuthR7\",\"Nms#PrivR7\"\n\
\"rw\",\"192.0.2.9\",\"R7-Rw#Comm\",\"noAuth\",\"noPriv\",\"\",\"\"\n\
\n\
SNMP SECURITY TO GROUP MAPS\n\
Security Model,Name,Group\n\
\"snmpV2c\",\"poll\",\"ro\"\n\
\"snmpV3\",\"nms\",\"adm\"\n\
\"snmpV2c\",\"rw\",\"adm\"\n\
\n\
SNMP ACCESS\n\
Group,Security Model,Security Level,ReadViewName,WriteViewName,NotifyViewName\n\
\"ro\",\"snmpV2c\",\"noAuthNoPriv\",\"allOfMib\",\"noView\",\"allOfMib\"\n\
\"adm\",\"snmpV3\",\"authPriv\",\"allOfMib\",\"allOfMib\",\"allOfMib\"\n";
    assert_eq!(
        scan("config.csv", csv),
        vec![
            f(8, "password", "guest", "sw-r7", &[], "Gst#R7-2020"),
            f(8, "password", "oper", "sw-r7", &[], "Op#R7-2020x"),
            f(8, "password", "admin", "sw-r7", &[P], "admin"),
            f(12, "community", "snmp RO", "sw-r7", &[N], "R7Poll"),
            f(13, "password", "snmpv3 nms", "sw-r7", &[N, P], "Nms#AuthR7"),
            f(13, "password", "snmpv3 nms", "sw-r7", &[N, P], "Nms#PrivR7"),
            f(14, "community", "snmp RW", "sw-r7", &[N, P], "R7-Rw#Comm"),
        ]
    );
    // The same file with its secrets blanked (ROS can export without them) and a
    // hard negative: a CSV that only mentions the columns in prose.
    let blank = "PASSWORDS\nAuth Type,Guest Username,Guest Password,Admin Username,Admin Password\n\
\"Local\",\"guest\",\"\",\"admin\",\"\"\n";
    assert!(scan("config.csv", blank).is_empty());
    let prose = "note,owner\n\"change the Admin Password column\",\"ops\"\n";
    assert!(scan("notes.csv", prose).is_empty());
    // An inventory with per-device password columns is a spreadsheet, read as a table.
    let inventory = "Host,Admin Password,Operator Password\nrtu-4,Rtu4#Adm,Rtu4#Op\n";
    assert!(!dialects::ruggedcom::is_ros_config(inventory));
    assert!(dialects::ruggedcom::is_ros_config(csv));
}

#[test]
fn ruggedcom_rox_users() {
    let rox = "system\n hostname rx1501-s4\n!\nadmin\n users\n  userid admin\n   password $1$Rx15Salt$MHDmKB1XJpxSv1tX8u0Kw/\n   role     administrator\n  !\n  userid viewer\n   password $1$Rx15Salt$zQdtBLMuvuYm8Kbc2AI0g.\n   role     guest\n  !\n !\n!\n";
    assert_eq!(
        scan("rx1501.cfg", rox),
        vec![
            f(
                7,
                "hash",
                "admin",
                "rx1501-s4",
                &[H, P],
                "$1$Rx15Salt$MHDmKB1XJpxSv1tX8u0Kw/"
            ),
            f(
                11,
                "hash",
                "viewer",
                "rx1501-s4",
                &[H],
                "$1$Rx15Salt$zQdtBLMuvuYm8Kbc2AI0g."
            ),
        ]
    );
    // `userid` outside `admin users` is not ROX II.
    let code = "userid = request.user\npassword = form.password\n";
    assert!(scan("view.py", code).is_empty());
}
