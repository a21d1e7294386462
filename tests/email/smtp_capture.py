#!/usr/bin/python3
"""A real SMTP server on loopback (Debian's python3-aiosmtpd) that saves every accepted
message as a file in a folder: <n>-<recipient>.eml. Recipients starting with "bounce" are
refused with 550 (permanent); those starting with "tempfail" get 451 the first time.
Usage: smtp_capture.py PORT FOLDER"""
import os
import sys
import time
import threading

from aiosmtpd.controller import Controller


class Capture:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()
        self.tempfailed = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith('bounce'):
            return '550 5.1.1 <%s>: no such mailbox' % address
        if address.startswith('tempfail') and address not in self.tempfailed:
            self.tempfailed.add(address)
            return '451 4.3.0 try again later'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        for rcpt in envelope.rcpt_tos:
            path = os.path.join(self.folder, '%07d-%s.eml' % (n, rcpt))
            with open(path + '.tmp', 'wb') as f:
                f.write(envelope.original_content or envelope.content)
            os.rename(path + '.tmp', path)
        return '250 2.0.0 Ok: queued'


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Capture(folder), hostname='127.0.0.1', port=port)
    controller.start()
    try:  # whoever waits for this line may stop reading once it has it
        sys.stdout.write('ready\n')
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    sys.stdout = open(os.devnull, 'w')
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == '__main__':
    main()
