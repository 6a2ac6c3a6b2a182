#!/usr/bin/env python3
"""Generates the command facts of Verger's commands-* bundles from Apple's device-management schema.

Run once when Apple's schema changes (the build never needs ../shared):

    python3 tools/schema-gen/generate.py [path/to/apple-device-management/mdm/commands]

For each domain bundle it writes
  bundles/commands-<domain>/src/main/resources/io/verger/commands/<domain>/commands.json  (the facts)
  bundles/commands-<domain>/src/main/java/io/verger/commands/<domain>/internal/<RequestType>Command.java
    (one Declarative Services component per RequestType, see SchemaCommandType in commands-support)
Needs PyYAML.
"""
import json
import os
import re
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DEFAULT_SCHEMA = os.path.join(ROOT, '..', 'shared', 'apple-device-management', 'mdm', 'commands')

# Every RequestType in exactly one domain bundle (SchemaFactsTest checks the union is Apple's 66).
DOMAINS = {
    'inventory': ['DeviceInformation', 'SecurityInfo', 'CertificateList', 'Restrictions', 'ContentCachingInformation'],
    'security': ['DeviceLock', 'EraseDevice', 'EnableLostMode', 'DisableLostMode', 'DeviceLocation', 'PlayLostModeSound',
                 'ClearPasscode', 'RequestUnlockToken', 'ActivationLockBypassCode', 'ClearActivationLockBypassCode',
                 'ClearRestrictionsPassword', 'RotateFileVaultKey', 'SetFirmwarePassword', 'VerifyFirmwarePassword',
                 'SetRecoveryLock', 'VerifyRecoveryLock'],
    'profiles': ['InstallProfile', 'RemoveProfile', 'ProfileList', 'InstallProvisioningProfile',
                 'RemoveProvisioningProfile', 'ProvisioningProfileList'],
    'apps': ['InstallApplication', 'InstallEnterpriseApplication', 'InstalledApplicationList', 'ManagedApplicationList',
             'RemoveApplication', 'ValidateApplications', 'InviteToProgram', 'ApplyRedemptionCode',
             'ManagedApplicationAttributes', 'ManagedApplicationConfiguration', 'ManagedApplicationFeedback',
             'ActiveNSExtensions', 'NSExtensionMappings', 'InstallMedia', 'RemoveMedia', 'ManagedMediaList'],
    'osupdate': ['AvailableOSUpdates', 'OSUpdateStatus', 'ScheduleOSUpdate', 'ScheduleOSUpdateScan'],
    'settings': ['Settings', 'RequestMirroring', 'StopMirroring', 'EnableRemoteDesktop', 'DisableRemoteDesktop',
                 'RestartDevice', 'ShutDownDevice', 'RefreshCellularPlans', 'LOMDeviceRequest', 'LOMSetupRequest'],
    'users': ['UserList', 'DeleteUser', 'LogOutUser', 'UnlockUserAccount', 'SetAutoAdminPassword'],
    'enrollment': ['DeviceConfigured', 'UserConfigured', 'DeclarativeManagement', 'AccountConfiguration'],
}

# How an acknowledged result becomes inventory: "merge" copies the keys of one response dictionary into the
# inventory; "keys" stores the listed response keys under an inventory key (a dictionary of them), or, with one
# key and no "as", under that key's own name.
INVENTORY = {
    'DeviceInformation': {'merge': 'QueryResponses'},
    'SecurityInfo': {'keys': ['SecurityInfo']},
    'ProfileList': {'keys': ['ProfileList']},
    'CertificateList': {'keys': ['CertificateList']},
    'InstalledApplicationList': {'keys': ['InstalledApplicationList']},
    'ManagedApplicationList': {'keys': ['ManagedApplicationList']},
    'AvailableOSUpdates': {'keys': ['AvailableOSUpdates']},
    'OSUpdateStatus': {'keys': ['OSUpdateStatus']},
    'UserList': {'keys': ['Users'], 'as': 'UserList'},
    'Restrictions': {'keys': ['GlobalRestrictions', 'ProfileRestrictions'], 'as': 'Restrictions'},
    'DeviceLocation': {'keys': ['Latitude', 'Longitude', 'HorizontalAccuracy', 'VerticalAccuracy', 'Altitude',
                                'Speed', 'Course', 'Timestamp'], 'as': 'DeviceLocation'},
    'ProvisioningProfileList': {'keys': ['ProvisioningProfileList']},
    'ContentCachingInformation': {'keys': ['ContentCachingInformation']},
    'ManagedMediaList': {'keys': ['Books'], 'as': 'ManagedMediaList'},
}

PLATFORMS = ['iOS', 'macOS', 'tvOS', 'visionOS', 'watchOS']
VERSION = re.compile(r'^\d+(\.\d+){0,3}$')


def text(s):
    return ' '.join(str(s or '').split())


def version(v):
    v = str(v) if v is not None else None
    return v if v and VERSION.match(v) else None


def rights(value):
    if value is None:
        return []
    names = value if isinstance(value, list) else [value]
    return [n for n in (str(x) for x in names) if n not in ('None', 'n/a', 'Special Case')]


def platform_support(os_name, s):
    """One supportedOS entry, or None when not supported (introduced n/a)."""
    s = s or {}
    introduced = version(s.get('introduced'))
    if introduced is None:
        return None
    shared = s.get('sharedipad') or {}
    ue = (s.get('userenrollment') or {}).get('mode', 'allowed')
    channels = []
    if os_name == 'macOS':
        if s.get('devicechannel', True):
            channels.append('DEVICE')
        if s.get('userchannel', False):
            channels.append('USER')
    elif os_name == 'iOS':
        if shared.get('mode') != 'required' or shared.get('devicechannel', True):
            channels.append('DEVICE')
        if shared.get('userchannel', False):
            channels.append('USER')
    else:
        channels.append('DEVICE')
    if not channels:
        channels = ['DEVICE']
    out = {'introduced': introduced, 'channels': channels}
    if version(s.get('deprecated')):
        out['deprecated'] = version(s.get('deprecated'))
    if version(s.get('removed')):
        out['removed'] = version(s.get('removed'))
    if rights(s.get('accessrights')):
        out['accessRights'] = rights(s.get('accessrights'))
    if s.get('supervised'):
        out['supervised'] = True
    if s.get('requiresdep'):
        out['requiresDep'] = True
    if s.get('userapprovedmdm'):
        out['userApprovedMdm'] = True
    if ue != 'allowed':
        out['userEnrollment'] = ue
    if shared.get('mode', 'allowed') != 'allowed':
        out['sharedIpad'] = shared['mode']
    return out


def coerce(value, t):
    if value is None:
        return None
    if t == 'integer':
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if t == 'real':
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if t == 'boolean':
        return value if isinstance(value, bool) else None
    if t == 'string':
        return value if isinstance(value, str) else None
    return None


def key_facts(k):
    t = k['type'].strip('<>')
    out = {'key': k['key'], 'type': t}
    if k.get('presence') == 'required':
        out['required'] = True
    if k.get('content'):
        out['description'] = text(k['content'])
    subkeys = k.get('subkeys') or []
    if t == 'string' and subkeys:
        # Apple lists the accepted strings of an array element as subkeys (DeviceInformation's Queries)
        out['allowed'] = [s['key'] for s in subkeys]
        subkeys = []
    if 'rangelist' in k:
        allowed = [coerce(v, t) for v in k['rangelist']]
        if all(v is not None for v in allowed):
            out['allowed'] = allowed
    d = coerce(k.get('default'), t)
    if d is not None:
        out['default'] = d
    platforms = [p for p, s in (k.get('supportedOS') or {}).items() if version((s or {}).get('introduced', '0')) is None]
    if platforms:
        out['notOn'] = platforms  # platforms where the key is not available (introduced n/a)
    if subkeys:
        if t == 'array' and len(subkeys) > 1:
            # an array whose elements take one of several shapes, told apart by their Item (Settings)
            out['alternatives'] = True
        out['subkeys'] = [key_facts(s) for s in subkeys]
    return out


def command_facts(path):
    with open(path, encoding='utf-8') as f:
        d = yaml.safe_load(f)
    p = d['payload']
    rt = p['requesttype']
    platforms = {}
    for os_name in PLATFORMS:
        s = platform_support(os_name, (p.get('supportedOS') or {}).get(os_name))
        if s:
            platforms[os_name] = s
    title = re.sub(r'\s+Command$', '', d['title']).strip()
    out = {'requestType': rt, 'title': title, 'description': text(d.get('description')),
           'schemaFile': os.path.basename(path), 'platforms': platforms,
           'parameters': [key_facts(k) for k in d.get('payloadkeys') or []]}
    if rt in INVENTORY:
        out['inventory'] = INVENTORY[rt]
    return out


JAVA = '''package io.verger.commands.{domain}.internal;

import org.osgi.service.component.annotations.Component;
{imports}
import io.verger.api.command.CommandType;
import io.verger.commands.support.SchemaCommandType;

/** {title} ({rt}): generated by tools/schema-gen/generate.py from Apple's {file}; do not edit. */
@Component(service = CommandType.class)
public final class {rt}Command extends SchemaCommandType {{
{body}
    public {rt}Command() {{
        super({Domain}Commands.FACTS.command("{rt}"));
    }}
{tail}}}
'''

INVENTORY_IMPORTS = '''import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.verger.api.storage.InventoryStore;'''

INVENTORY_BODY = '''    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile InventoryStore inventory;
'''

INVENTORY_TAIL = '''
    @Override
    protected InventoryStore inventory() {
        return inventory;
    }
'''

FACTS_JAVA = '''package io.verger.commands.{domain}.internal;

import io.verger.commands.support.CommandFacts;

/** The schema facts of this bundle's command types, read once from commands.json (generated by tools/schema-gen). */
final class {Domain}Commands {{

    static final CommandFacts FACTS = CommandFacts.load({Domain}Commands.class, "/io/verger/commands/{domain}/commands.json");

    private {Domain}Commands() {{
    }}
}}
'''


def main():
    schema = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SCHEMA)
    files = sorted(f for f in os.listdir(schema) if f.endswith('.yaml'))
    facts = {}
    for f in files:
        c = command_facts(os.path.join(schema, f))
        facts[c['requestType']] = c
    assigned = [rt for rts in DOMAINS.values() for rt in rts]
    dupes = {rt for rt in assigned if assigned.count(rt) > 1}
    missing = set(facts) - set(assigned)
    extra = set(assigned) - set(facts)
    if dupes or missing or extra:
        sys.exit('domain table out of date: duplicates %s, unassigned %s, unknown %s' % (dupes, missing, extra))
    for domain, rts in DOMAINS.items():
        Domain = domain[0].upper() + domain[1:]
        base = os.path.join(ROOT, 'bundles', 'commands-' + domain, 'src', 'main')
        res = os.path.join(base, 'resources', 'io', 'verger', 'commands', domain)
        java = os.path.join(base, 'java', 'io', 'verger', 'commands', domain, 'internal')
        os.makedirs(res, exist_ok=True)
        os.makedirs(java, exist_ok=True)
        doc = {'source': 'apple-device-management mdm/commands (MIT), generated by tools/schema-gen/generate.py',
               'domain': domain, 'commands': [facts[rt] for rt in sorted(rts)]}
        with open(os.path.join(res, 'commands.json'), 'w', encoding='utf-8') as out:
            json.dump(doc, out, indent=1, ensure_ascii=False, sort_keys=False)
            out.write('\n')
        with open(os.path.join(java, Domain + 'Commands.java'), 'w', encoding='utf-8') as out:
            out.write(FACTS_JAVA.format(domain=domain, Domain=Domain))
        for rt in rts:
            inv = rt in INVENTORY
            src = JAVA.format(domain=domain, Domain=Domain, rt=rt, title=facts[rt]['title'], file=facts[rt]['schemaFile'],
                              imports=INVENTORY_IMPORTS + '\n' if inv else '',
                              body=INVENTORY_BODY if inv else '', tail=INVENTORY_TAIL if inv else '')
            with open(os.path.join(java, rt + 'Command.java'), 'w', encoding='utf-8') as out:
                out.write(src)
        print('%-10s %2d command types' % (domain, len(rts)))
    print('total      %d of %d schema files' % (len(assigned), len(files)))


if __name__ == '__main__':
    main()
